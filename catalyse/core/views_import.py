"""The import pages of every registered import kind (upload, result with progress, error report, model file),
served under the URL namespace of the app that owns the kind (see `core.urls_import`)."""

import csv
import io
import uuid
from dataclasses import dataclass

from django.core.files import File
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .import_preview import drop_stash, read_preview, stash_path, stash_upload
from .imports import IMPORT_KINDS, ImportKind, import_start
from .models import ImportRun
from .permissions import animator_required

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ImportLinks:
    """Where the import templates link to. The generic pages are named `import`, `import_detail`… in the owning
    app's namespace (`ImportLinks("actors:")`); an app that scopes the pages itself gives the same names behind a
    prefix, with its leading arguments (`ImportLinks("evaluation:measurements_", (slug,))`): one set of templates
    serves both."""

    prefix: str
    args: tuple = ()

    def url(self, name: str, *more) -> str:
        return reverse(self.prefix + name, args=[*self.args, *more])

    @property
    def upload(self) -> str:
        return self.url("import")

    @property
    def template_csv(self) -> str:
        return self.url("import_template", "csv")

    @property
    def template_xlsx(self) -> str:
        return self.url("import_template", "xlsx")

    def runs(self, runs) -> list[ImportRun]:
        """The runs listed on the upload page, each with the `url` of its result page."""
        runs = list(runs)
        for run in runs:
            run.url = self.url("import_detail", run.pk)
        return runs

    def progress(self, run: ImportRun) -> str:
        return self.url("import_progress", run.pk)

    def errors(self, run: ImportRun) -> str:
        return self.url("import_errors", run.pk)


def upload_context(kind: ImportKind, links: ImportLinks, form, runs, **extra) -> dict:
    # `previewed`: a template would call the mapping form class if it tested `kind.mapping_form` itself.
    return {"kind": kind, "links": links, "form": form, "runs": links.runs(runs),
            "previewed": kind.mapping_form is not None, **extra}


def detail_context(kind: ImportKind, links: ImportLinks, run: ImportRun, **extra) -> dict:
    return {"kind": kind, "links": links, "run": run, "progress_url": links.progress(run),
            "errors_url": links.errors(run), **extra}


def _links(request) -> ImportLinks:
    return ImportLinks(f"{request.resolver_match.namespace}:")


def _run(kind: str, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun, pk=pk, kind=kind)


@animator_required
def import_page(request, kind: str):
    import_kind = IMPORT_KINDS[kind]
    form = import_kind.form(request.POST or None, request.FILES or None, importers=import_kind.importers)
    if request.method == "POST" and form.is_valid() and import_kind.mapping_form is not None:
        # The file waits aside until its mapping is confirmed on the preview page.
        token = uuid.uuid4().hex
        request.session[f"import-preview-{token}"] = {
            "kind": kind, "format": form.cleaned_data["format"], "stash": stash_upload(form.cleaned_data["file"]),
            "name": form.cleaned_data["file"].name, "dry_run": form.cleaned_data["dry_run"],
            "options": form.options(),
        }
        return redirect(f"{request.resolver_match.namespace}:import_preview", token)
    if request.method == "POST" and form.is_valid():
        run = import_start(kind=kind, format=form.cleaned_data["format"], upload=form.cleaned_data["file"],
                           dry_run=form.cleaned_data["dry_run"], options=form.options(), created_by=request.user)
        return redirect(f"{request.resolver_match.namespace}:import_detail", run.pk)
    runs = ImportRun.objects.filter(kind=kind).select_related("created_by")[:20]
    return render(request, import_kind.upload_template, upload_context(import_kind, _links(request), form, runs))


@animator_required
def import_preview(request, kind: str, token: str):
    """The uploaded file's first rows and the column mapping to confirm; the run starts on confirmation."""
    import_kind = IMPORT_KINDS[kind]
    key = f"import-preview-{token}"
    pending = request.session.get(key)
    if not pending or pending["kind"] != kind or import_kind.mapping_form is None \
            or not stash_path(pending["stash"]).is_file():  # removed as abandoned (`import_preview`)
        raise Http404(_("Aperçu expiré : déposez le fichier à nouveau."))
    ns = request.resolver_match.namespace
    if request.method == "POST" and "cancel" in request.POST:
        drop_stash(pending["stash"])
        del request.session[key]
        return redirect(f"{ns}:import")
    importer = import_kind.importers[pending["format"]]
    preview = read_preview(stash_path(pending["stash"]), spreadsheet=importer.spreadsheet)
    form = import_kind.mapping_form(request.POST or None, preview=preview, upload_options=pending["options"])
    if request.method == "POST" and not preview.error and form.is_valid():
        with open(stash_path(pending["stash"]), "rb") as stashed:
            run = import_start(kind=kind, format=pending["format"], upload=File(stashed, name=pending["name"]),
                               dry_run=pending["dry_run"], options={**pending["options"], **form.options()},
                               created_by=request.user)
        drop_stash(pending["stash"])
        del request.session[key]
        return redirect(f"{ns}:import_detail", run.pk)
    return render(request, import_kind.preview_template, {
        "kind": import_kind, "links": _links(request), "form": form, "preview": preview, "file_name": pending["name"],
        "dry_run": pending["dry_run"], "format_label": importer.label})


@animator_required
def import_detail(request, kind: str, pk: int):
    import_kind = IMPORT_KINDS[kind]
    return render(request, import_kind.detail_template, detail_context(import_kind, _links(request), _run(kind, pk)))


@animator_required
def import_progress(request, kind: str, pk: int):
    return progress_response(_run(kind, pk))


@animator_required
def import_errors(request, kind: str, pk: int):
    return errors_response(_run(kind, pk))


def progress_response(run: ImportRun) -> JsonResponse:
    """What the progress bar polls; also served by import pages an app scopes itself (e.g. per initiative)."""
    return JsonResponse({
        "status": run.status, "finished": run.is_finished, "percent": run.percent, "rows_done": run.rows_done,
        "rows_total": run.rows_total, "created": run.created, "updated": run.updated, "unchanged": run.unchanged,
        "errors": run.errors,
    })


def errors_response(run: ImportRun) -> FileResponse:
    if not run.error_report:
        raise Http404(_("Aucune erreur pour cet import."))
    return FileResponse(run.error_report.open("rb"), as_attachment=True, content_type="text/csv; charset=utf-8",
                        filename=f"import-{run.pk}-erreurs.csv")


def import_template(request, kind: str, fmt: str):
    """The model file, public: anyone may prepare a file for the network's animators."""
    import_kind = IMPORT_KINDS[kind]
    if import_kind.template_rows is None:
        raise Http404
    rows = import_kind.template_rows()
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # so that Excel reads UTF-8
        csv.writer(out, delimiter=";").writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = kind[:31]
        for row in rows:
            sheet.append(row)
        doc = workbook.create_sheet("documentation")
        doc.append(["colonne", "alias", "contenu"])
        for column in import_kind.template_columns:
            doc.append(list(column))
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="modele-{kind}.{fmt}"'
    return response
