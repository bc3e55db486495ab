"""The evidence library pages: /initiatives/<slug>/evaluation/preuves/ (filtered by type, tag and indicator) and
the forms to add, change and delete an item."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalyse.core import permissions
from catalyse.initiatives.models import Initiative

from . import queries, services
from .forms_evidence import EvidenceFilter, EvidenceForm
from .models import Evidence
from .permissions import can_contribute

PER_PAGE = 30


def evidence_list(request, slug):
    initiative = permissions.get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)
    indicators = list(queries.indicators_visible(request.user, initiative))
    filters = EvidenceFilter(request.GET or None, indicators=indicators,
                             tags=queries.evidence_tags_used(request.user, initiative))
    chosen = filters.cleaned_data if filters.is_valid() else {}
    evidence = queries.evidence_visible(request.user, initiative, kind=chosen.get("type") or "",
                                        tag=chosen.get("mot") or "", indicator=chosen.get("indicateur"))
    page = Paginator(evidence, PER_PAGE).get_page(request.GET.get("page"))
    indicator = next((i for i in indicators if i.pk == chosen.get("indicateur")), None)
    return render(request, "evaluation/evidence_list.html", {
        "initiative": initiative, "page": page, "filters": filters, "indicator": indicator,
        "can_contribute": can_contribute(request.user, initiative),
    })


def _contributable(request, slug) -> Initiative:
    initiative = permissions.get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)
    if not can_contribute(request.user, initiative):
        raise PermissionDenied(_("Réservé aux partenaires de l'initiative."))
    return initiative


def _editable(request, slug, pk) -> Evidence:
    """An item hidden from the person is a 404 (its existence is not revealed), a visible one they may not
    change a 403."""
    return permissions.get_editable_or_404(request.user, Evidence.objects.select_related("initiative"),
                                           pk=pk, initiative__slug=slug)


@login_required
def evidence_edit(request, slug, pk=None):
    evidence = _editable(request, slug, pk) if pk is not None else None
    initiative = evidence.initiative if evidence else _contributable(request, slug)
    form = EvidenceForm(request.POST or None, request.FILES or None, instance=evidence, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            if evidence is None:
                data = form.service_kwargs()
                if data.get("file") == "":
                    data.pop("file")
                services.evidence_create(initiative=initiative, created_by=request.user, **data)
            else:
                services.evidence_update(evidence, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Preuve enregistrée."))
            return redirect("evaluation:evidence", slug=initiative.slug)
    return render(request, "evaluation/evidence_form.html", {
        "form": form, "initiative": initiative, "evidence": evidence})


@login_required
@require_POST
def evidence_delete(request, slug, pk):
    evidence = _editable(request, slug, pk)
    services.evidence_delete(evidence, actor=request.user)
    messages.success(request, _("Preuve supprimée."))
    return redirect("evaluation:evidence", slug=slug)
