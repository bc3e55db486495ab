"""The import pages of every registered import kind (upload, result with progress, error report, model file),
served under the URL namespace of the app that owns the kind (see `core.urls_import`)."""

import csv
import io

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .imports import IMPORT_KINDS, ImportKind, import_start
from .models import ImportRun
from .permissions import animator_required

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(request, kind: ImportKind, **extra) -> dict:
    # The templates name their links relative to the namespace the pages are served under.
    return {"kind": kind, "ns": request.resolver_match.namespace, **extra}


def _run(kind: str, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun, pk=pk, kind=kind)


@animator_required
def import_page(request, kind: str):
    import_kind = IMPORT_KINDS[kind]
    form = import_kind.form(request.POST or None, request.FILES or None, importers=import_kind.importers)
    if request.method == "POST" and form.is_valid():
        run = import_start(kind=kind, format=form.cleaned_data["format"], upload=form.cleaned_data["file"],
                           dry_run=form.cleaned_data["dry_run"], options=form.options(), created_by=request.user)
        return redirect(f"{request.resolver_match.namespace}:import_detail", run.pk)
    runs = ImportRun.objects.filter(kind=kind).select_related("created_by")[:20]
    return render(request, import_kind.upload_template, _context(request, import_kind, form=form, runs=runs))


@animator_required
def import_detail(request, kind: str, pk: int):
    import_kind = IMPORT_KINDS[kind]
    return render(request, import_kind.detail_template, _context(request, import_kind, run=_run(kind, pk)))


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
