"""The import of measurements into one initiative (`importers.py`): upload, result with progress, error report,
model file. The generic import pages are for animators; these serve the initiative's contributors, on the
same framework (`core.imports.import_start`, `core.views_import` responses, `core.forms_import.ImportForm`)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from catalyse.core.exports import FORMATS, Column, write_csv, write_xlsx
from catalyse.core.imports import IMPORT_KINDS, import_start
from catalyse.core.models import ImportRun
from catalyse.core.permissions import get_visible_or_404, visible_queryset
from catalyse.core.views_import import ImportLinks, detail_context, errors_response, progress_response, upload_context
from catalyse.initiatives.models import Initiative

from .importers import KIND
from .models import Indicator
from .permissions import can_contribute


def _initiative(request, slug: str) -> Initiative:
    initiative = get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)
    if not can_contribute(request.user, initiative):
        raise PermissionDenied("Seuls les partenaires de l'initiative importent ses mesures.")
    return initiative


def _links(initiative: Initiative) -> ImportLinks:
    return ImportLinks("evaluation:measurements_", (initiative.slug,))


def _run(initiative: Initiative, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun, pk=pk, kind=KIND, options__initiative=initiative.pk)


@login_required
def measurements_import(request, slug: str):
    initiative = _initiative(request, slug)
    kind = IMPORT_KINDS[KIND]
    form = kind.form(request.POST or None, request.FILES or None, importers=kind.importers)
    if request.method == "POST" and form.is_valid():
        run = import_start(kind=KIND, format=form.cleaned_data["format"], upload=form.cleaned_data["file"],
                           dry_run=form.cleaned_data["dry_run"], created_by=request.user,
                           options=form.options() | {"initiative": initiative.pk})
        return redirect("evaluation:measurements_import_detail", initiative.slug, run.pk)
    runs = ImportRun.objects.filter(kind=KIND, options__initiative=initiative.pk).select_related("created_by")[:20]
    return render(request, kind.upload_template,
                  upload_context(kind, _links(initiative), form, runs, initiative=initiative))


@login_required
def measurements_import_detail(request, slug: str, pk: int):
    initiative = _initiative(request, slug)
    return render(request, IMPORT_KINDS[KIND].detail_template,
                  detail_context(IMPORT_KINDS[KIND], _links(initiative), _run(initiative, pk), initiative=initiative))


@login_required
def measurements_import_progress(request, slug: str, pk: int):
    return progress_response(_run(_initiative(request, slug), pk))


@login_required
def measurements_import_errors(request, slug: str, pk: int):
    return errors_response(_run(_initiative(request, slug), pk))


TEMPLATE_COLUMNS = [
    Column("indicateur_id", "", lambda i: i.pk),
    Column("indicateur", "", lambda i: i.name),
    *(Column(name, "", lambda i: None) for name in ("debut", "fin", "valeur", "niveau", "commentaire",
                                                     "desagregations")),
]


@login_required
def measurements_import_template(request, slug: str, fmt: str):
    """The model file, one row per indicator of the initiative, to fill in (or copy) for each period."""
    initiative = _initiative(request, slug)
    indicators = visible_queryset(request.user, Indicator.objects.filter(initiative=initiative, active=True))
    filename = f"{initiative.slug}-modele-mesures.{fmt}"
    if fmt == "xlsx":
        return FileResponse(write_xlsx(TEMPLATE_COLUMNS, indicators, title="mesures"), as_attachment=True,
                            filename=filename, content_type=FORMATS["xlsx"][0])
    if fmt != "csv":
        raise Http404("Format inconnu.")
    response = StreamingHttpResponse((chunk.encode() for chunk in write_csv(TEMPLATE_COLUMNS, indicators)),
                                     content_type=FORMATS["csv"][0])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
