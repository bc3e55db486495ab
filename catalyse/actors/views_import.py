"""Animators' pages for imports (upload, progress, result, error report, template) and duplicates (list, merge)."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalyse.core import permissions
from catalyse.core.models import ImportRun

from .duplicate_detection import duplicate_pairs
from .forms import MergeForm
from .forms_import import ImportForm
from .importers import TEMPLATE_COLUMNS, organisations_import_start, template_example
from .models import Organisation
from .services import duplicate_dismiss, organisation_merge


def _run(pk: int) -> ImportRun:
    return get_object_or_404(ImportRun, pk=pk, kind="organisations")


@permissions.animator_required
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = organisations_import_start(format=form.cleaned_data["format"], upload=form.cleaned_data["file"],
                                         dry_run=form.cleaned_data["dry_run"], options=form.options(),
                                         created_by=request.user)
        return redirect("actors:import_detail", run.pk)
    runs = ImportRun.objects.filter(kind="organisations").select_related("created_by")[:20]
    return render(request, "actors/import.html", {"form": form, "runs": runs, "columns": TEMPLATE_COLUMNS})


@permissions.animator_required
def import_detail(request, pk: int):
    return render(request, "actors/import_detail.html", {"run": _run(pk)})


@permissions.animator_required
def import_progress(request, pk: int):
    run = _run(pk)
    return JsonResponse({
        "status": run.status, "finished": run.is_finished, "percent": run.percent, "rows_done": run.rows_done,
        "rows_total": run.rows_total, "created": run.created, "updated": run.updated, "unchanged": run.unchanged,
        "errors": run.errors,
    })


@permissions.animator_required
def import_errors(request, pk: int):
    run = _run(pk)
    if not run.error_report:
        raise Http404(_("Aucune erreur pour cet import."))
    return FileResponse(run.error_report.open("rb"), as_attachment=True, content_type="text/csv; charset=utf-8",
                        filename=f"import-{run.pk}-erreurs.csv")


def import_template(request, fmt: str):
    """The template, public: anyone may prepare a file for the network's animators."""
    rows = template_example()
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # so that Excel reads UTF-8
        csv.writer(out, delimiter=";").writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "organisations"
        for row in rows:
            sheet.append(row)
        doc = workbook.create_sheet("documentation")
        doc.append(["colonne", "alias", "contenu"])
        for column in TEMPLATE_COLUMNS:
            doc.append(list(column))
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="modele-organisations.{fmt}"'
    return response


def _organisation(params, key: str) -> Organisation:
    value = params.get(key, "")
    if not value.isdigit():
        raise Http404
    return get_object_or_404(Organisation, pk=int(value))


@permissions.animator_required
def duplicates(request):
    departement = request.GET.get("departement", "").strip().upper()[:3]
    pairs = duplicate_pairs(departement=departement, limit=100)
    return render(request, "actors/duplicates.html", {"pairs": pairs, "departement": departement})


@permissions.animator_required
@require_POST
def duplicate_not_same(request):
    first, second = _organisation(request.POST, "first"), _organisation(request.POST, "second")
    duplicate_dismiss(first=first, second=second, dismissed_by=request.user)
    messages.success(request, _("Ces deux organisations ne seront plus proposées comme doublons."))
    return redirect("actors:duplicates")


@permissions.animator_required
def merge(request):
    params = request.POST if request.method == "POST" else request.GET
    keep, remove = _organisation(params, "garder"), _organisation(params, "retirer")
    if keep.pk == remove.pk:
        raise Http404
    form = MergeForm(request.POST if request.method == "POST" else None, keep=keep, remove=remove)
    if form.is_valid():
        try:
            organisation_merge(keep=keep, remove=remove, merged_by=request.user,
                               carried_user_ids=[u.pk for u in form.cleaned_data["membres"]])
        except ValidationError as exc:
            messages.error(request, _("Fusion impossible : %(e)s") % {"e": "; ".join(exc.messages)})
            return redirect("actors:duplicates")
        messages.success(request, _("« %(removed)s » a été fusionnée dans « %(kept)s ».")
                         % {"removed": remove.name, "kept": keep.name})
        return redirect(keep.get_absolute_url())
    return render(request, "actors/merge.html", {"keep": keep, "remove": remove, "form": form})
