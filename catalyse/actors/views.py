from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalyse.core import permissions
from catalyse.core.concurrency import ConflictError, form_on_stored_version
from catalyse.core.exports import FORMATS, LICENCE, LICENCE_URL, REGISTRY, export_response, jsonld_script
from catalyse.core.markdown import render_markdown
from catalyse.territories.models import Kind, Territory

from . import services
from .exports import ORGANISATIONS, organisation_jsonld
from .forms import OrganisationForm, organisation_differences
from .models import Organisation, PublicationStatus
from .queries import OrganisationFilters, organisation_detail, organisation_directory, organisation_redirect_slug

PAGE_SIZE = 20
SORT_LABELS = [("nom", gettext_lazy("Nom (A → Z)")), ("-adhesion", gettext_lazy("Adhésion la plus récente")),
               ("-maj", gettext_lazy("Mise à jour la plus récente"))]
# facet key in organisation_facets → (query parameter, legend, attribute of OrganisationFilters, input type)
FACETS = [
    ("profile", "profil", gettext_lazy("Profil"), "profiles", "checkbox"),
    ("trade", "metier", gettext_lazy("Métier"), "trades", "checkbox"),
    ("scope", "perimetre", gettext_lazy("Périmètre"), "scope", "radio"),
    ("region", "region", gettext_lazy("Région"), "regions", "checkbox"),
    ("departement", "departement", gettext_lazy("Département"), "departements", "checkbox"),
    ("typology", "typologie", gettext_lazy("Type de territoire"), "typologies", "checkbox"),
]


def _facet_groups(facets: dict, filters: OrganisationFilters) -> list[dict]:
    """Facets as the template draws them; a chosen value stays listed (and can be unticked) even at 0."""
    groups = []
    for key, param, legend, attribute, kind in FACETS:
        chosen = getattr(filters, attribute)
        chosen = set(chosen) if isinstance(chosen, list) else {chosen} - {""}
        options = [{"value": v, "label": label, "count": n, "checked": v in chosen} for v, label, n in facets[key]]
        missing = chosen - {o["value"] for o in options}
        if missing:
            names = dict(Territory.objects.filter(level=key, kind=Kind.CURRENT, code__in=missing)
                         .values_list("code", "name"))
            options += [{"value": v, "label": names.get(v, v), "count": 0, "checked": True} for v in sorted(missing)]
        groups.append({"key": key, "param": param, "legend": legend, "type": kind, "options": options,
                       "any_checked": bool(chosen)})
    return groups


def organisation_list(request):
    filters = OrganisationFilters.from_params(request.GET)
    rows, facets = organisation_directory(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "actors/list.html", {
        "filters": filters,
        "page": page,
        "facet_groups": _facet_groups(facets, filters),
        "sorts": SORT_LABELS,
        "export_formats": [(fmt, FORMATS[fmt][1]) for fmt in ORGANISATIONS.formats],
    })


def organisation_show(request, slug: str):
    try:
        org = organisation_detail(request.user, slug)
    except Http404:
        if merged_into := organisation_redirect_slug(slug):  # merged into another: the old address still works
            return redirect("actors:detail", merged_into, permanent=True)
        raise
    competences = {}
    for competence in org.competences.all():
        competences.setdefault(competence.trade_id, []).append(competence)
    trades = [(trade, competences.pop(trade.pk, [])) for trade in org.trades.all()]
    trades += [(group[0].trade, group) for group in competences.values()]  # competences of an undeclared trade
    return render(request, "actors/detail.html", {
        "org": org,
        "trades": trades,
        "can_edit": permissions.can_edit(request.user, org),
        "jsonld": jsonld_script(organisation_jsonld(org, request)),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    })


def _form_page(request, form, org=None, *, preview=None, status=200):
    return render(request, "actors/form.html", {"form": form, "org": org, "preview": preview}, status=status)


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method != "POST" or "apercu" in request.POST or not form.is_valid():
        preview = render_markdown(request.POST.get("description", "")) if "apercu" in request.POST else None
        return _form_page(request, form, preview=preview)
    org = services.organisation_propose(user=request.user, **form.service_fields())
    if org.status == PublicationStatus.PENDING:
        messages.success(request, _("Merci ! La fiche est enregistrée ; elle sera publiée après vérification "
                                    "par l'équipe d'animation du réseau. Vous pouvez la compléter d'ici là."))
    else:
        messages.success(request, _("La fiche est publiée."))
    return redirect(org)


@login_required
def organisation_edit(request, slug: str):
    org = permissions.get_editable_or_404(request.user, Organisation.objects.all(), slug=slug)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=org, user=request.user)
    if request.method != "POST" or "apercu" in request.POST or not form.is_valid():
        preview = render_markdown(request.POST.get("description", "")) if "apercu" in request.POST else None
        return _form_page(request, form, org, preview=preview)
    try:
        services.organisation_update(org, expected_version=form.cleaned_data["version"], **form.service_fields())
    except ConflictError as conflict:
        return _conflict_page(request, form, conflict)
    messages.success(request, _("Modifications enregistrées."))
    return redirect(org)


def _conflict_page(request, form: OrganisationForm, conflict: ConflictError):
    """Someone saved in between: show both versions and give the user's input back, now based on the
    stored version, so that saving again is a deliberate choice and nothing typed is lost."""
    return render(request, "actors/conflict.html", {
        "form": form_on_stored_version(form, conflict, user=request.user), "org": conflict.current,
        "differences": organisation_differences(conflict.current, form),
    }, status=409)


def organisation_export(request, fmt: str):
    if fmt not in ORGANISATIONS.formats:
        raise Http404(_("Format d'export inconnu."))
    return export_response(ORGANISATIONS, fmt, request)


def open_data(request):
    return render(request, "actors/open_data.html", {
        "exports": [(export, [(fmt, FORMATS[fmt][1]) for fmt in export.formats]) for export in REGISTRY.values()],
        "licence": LICENCE, "licence_url": LICENCE_URL,
    })

