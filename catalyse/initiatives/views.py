from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from catalyse.actors.models import Organisation
from catalyse.core import permissions
from catalyse.core.cache_version import PUBLIC, audience_key
from catalyse.core.concurrency import ConflictError, form_on_stored_version
from catalyse.core.markdown import render_markdown
from catalyse.core.revisions import RevisedFields
from catalyse.core.text import fold

from . import queries, revisions, services
from .forms import (
    InitiativeCreateForm,
    InitiativeForm,
    PartnershipEndForm,
    PartnershipForm,
    SheetForm,
    StageChangeForm,
)
from .models import Initiative, Partnership, PracticeSheet, Revision, Role

PER_PAGE = 20


def initiative_list(request):
    filters = queries.InitiativeFilters.from_params(request.GET)
    facets = queries.initiative_facets_cached(request.user, filters, request.GET.urlencode())
    paginator = Paginator(queries.initiatives_list(request.user, filters), PER_PAGE)
    paginator.count = queries.count_from_facets(facets, filters)  # spares counting the matches again
    return render(request, "initiatives/list.html", {
        "filters": filters, "page": paginator.get_page(request.GET.get("page")), "facets": facets,
        "chosen": {"theme": filters.themes, "sdg": [str(n) for n in filters.sdgs], "stage": filters.stages,
                   "profile": filters.profiles, "status": filters.statuses},
    })


def _shared_with_visitors(view):
    """Visitors (signed out, no message waiting) share one rendered copy of the page per language and data
    version, so most requests cost one cache read; what a visitor may see is the same for every visitor.
    Signed-in people always get a fresh render: what they see depends on who they are."""
    @wraps(view)
    def wrapper(request, **kwargs):
        if (request.user.is_authenticated or request.method not in ("GET", "HEAD")
                or len(messages.get_messages(request))):
            return view(request, **kwargs)
        key = audience_key(queries.DATA_VERSION, "initiatives:page", PUBLIC, f"{get_language()}|{request.path}")
        if (content := cache.get(key)) is not None:
            return HttpResponse(content)
        response = view(request, **kwargs)
        # A page that set a cookie or asked for a CSRF token carries something of this visitor's own.
        if response.status_code == 200 and not response.cookies and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            cache.set(key, response.content, queries.CACHE_SECONDS)
        return response

    return wrapper


def _resources_of(user, initiative: Initiative):
    """The resources it owns or that are linked to it, that this person may see (the resources app owns the
    model: it is reached through the relation, without importing that app)."""
    model = initiative.resources.model
    owned_or_linked = model.objects.filter(Q(owner_initiative=initiative) | Q(initiatives=initiative))
    return permissions.visible_queryset(user, model.objects.filter(pk__in=owned_or_linked.values("pk")))


@_shared_with_visitors
def initiative_detail(request, slug):
    initiative = queries.initiative_detail(request.user, slug)
    return render(request, "initiatives/detail.html", {
        "initiative": initiative,
        "can_edit": permissions.can_edit(request.user, initiative),
        "sheets": initiative.sheets.select_related("territory"),
        "resources": _resources_of(request.user, initiative),
        "similar": queries.initiatives_similar_cached(initiative, request.user),
        "map_points": [{"name": t.label, "lat": t.latitude, "lon": t.longitude, "url": t.get_absolute_url()}
                       for t in initiative.territories.all() if t.latitude is not None],
        "tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    })


def _preview(request, form):
    """The "Aperçu" button: show the rendered récit without saving."""
    return render_markdown(request.POST.get("recit") or request.POST.get("description") or "")


@login_required
def initiative_create(request):
    form = InitiativeCreateForm(request.POST or None, request.FILES or None, user=request.user)
    preview = _preview(request, form) if "preview" in request.POST else None
    if request.method == "POST" and preview is None and form.is_valid():
        try:
            initiative = services.initiative_create(
                created_by=request.user, partners=form.partner_rows, message=form.cleaned_data["message"],
                **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Initiative enregistrée." if initiative.is_published else
                             "Initiative enregistrée : elle sera publiée après relecture par l'équipe d'animation.")
            return redirect(initiative)
    return render(request, "initiatives/form.html", {
        "form": form, "preview": preview, "partner_rows": _posted_partner_rows(request), "roles": Role.choices})


def _posted_partner_rows(request) -> list[dict]:
    """Re-display the partner rows of a form sent back (invalid or preview), so that nothing is lost."""
    orgs = permissions.visible_queryset(request.user, Organisation.objects.all()).in_bulk(
        [o for o in request.POST.getlist("partner_org") if o.isdigit()])
    rows = zip(request.POST.getlist("partner_org"), request.POST.getlist("partner_role"),
               request.POST.getlist("partner_joined"), strict=False)
    return [{"org": orgs[int(o)], "role": r, "joined": j} for o, r, j in rows if o.isdigit() and int(o) in orgs]


@login_required
def initiative_edit(request, slug):
    initiative = permissions.get_editable_or_404(request.user, Initiative.objects.all(), slug=slug)
    form = InitiativeForm(request.POST or None, request.FILES or None, instance=initiative)
    preview = _preview(request, form) if "preview" in request.POST else None
    if request.method == "POST" and preview is None and form.is_valid():
        try:
            services.initiative_update(initiative, author=request.user, expected_version=form.cleaned_data["version"],
                                       message=form.cleaned_data["message"], **form.service_kwargs())
        except ConflictError as conflict:
            return _conflict(request, form, conflict, revisions.INITIATIVE)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Modifications enregistrées.")
            return redirect(initiative)
    return render(request, "initiatives/form.html", {"form": form, "initiative": initiative, "preview": preview})


def _conflict(request, form, conflict: ConflictError, revised: RevisedFields):
    """Someone saved in between: show their version and ours side by side; the form keeps what this person
    typed, now based on the current version, so saving again is a deliberate choice."""
    current = conflict.current
    mine, theirs = revised.from_form(form.cleaned_data), revised.snapshot(current)
    return render(request, "initiatives/conflict.html", {
        "form": form_on_stored_version(form, conflict), "current": current,
        "current_display": revised.display(theirs),
        "differences": revised.diff(theirs, mine),
    }, status=409)


def _with_diffs(history) -> list:
    """Each revision (newest first) with what it changed compared with the one before."""
    rows = list(history.select_related("author").order_by("-number"))
    return [(r, revisions.revision_diff(r, prev)) for r, prev in zip(rows, rows[1:] + [None], strict=True)]


def initiative_history(request, slug):
    initiative = queries.initiative_detail(request.user, slug)
    return render(request, "initiatives/history.html", {
        "object": initiative, "initiative": initiative, "can_edit": permissions.can_edit(request.user, initiative),
        "revisions": _with_diffs(initiative.revisions.filter(sheet__isnull=True)),
    })


@require_POST
@login_required
def initiative_restore(request, slug, number):
    initiative = permissions.get_editable_or_404(request.user, Initiative.objects.all(), slug=slug)
    revision = get_object_or_404(initiative.revisions, sheet__isnull=True, number=number)
    services.initiative_restore(initiative, revision=revision, author=request.user)
    messages.success(request, f"Version {number} restaurée (enregistrée comme une nouvelle version).")
    return redirect("initiatives:history", slug=slug)


@login_required
def initiative_partners(request, slug):
    """Partners with their dated periods: add one, end one, date a change of stage."""
    initiative = permissions.get_editable_or_404(request.user, Initiative.objects.all(), slug=slug)
    add_form, stage_form = PartnershipForm(), StageChangeForm()
    if request.method == "POST":
        if "stage" in request.POST:
            stage_form = StageChangeForm(request.POST)
            if stage_form.is_valid():
                services.stage_change(initiative, author=request.user, **stage_form.cleaned_data)
                messages.success(request, "Changement de stade enregistré.")
                return redirect("initiatives:partners", slug=slug)
        else:
            add_form = PartnershipForm(request.POST)
            try:
                rows = add_form.clean_partner_rows(request.POST, request.user)
                if not rows:
                    raise ValidationError("Choisissez une organisation.")
                if add_form.is_valid():
                    left_on = add_form.cleaned_data["left_on"]
                    services.partners_add(initiative=initiative, partners=[{**row, "left_on": left_on} for row in rows])
                    messages.success(request, "Partenaire ajouté.")
                    return redirect("initiatives:partners", slug=slug)
            except ValidationError as exc:
                add_form.add_error(None, exc)
    return render(request, "initiatives/partners.html", {
        "initiative": initiative, "add_form": add_form, "stage_form": stage_form, "roles": Role.choices,
        "partnerships": queries.partnerships_visible_to(request.user).filter(initiative=initiative).order_by(
            "organisation__name", "joined_on"),
        "end_form": PartnershipEndForm(),
    })


@require_POST
@login_required
def partnership_end(request, slug, pk):
    initiative = permissions.get_editable_or_404(request.user, Initiative.objects.all(), slug=slug)
    partnership = permissions.get_visible_or_404(request.user, Partnership.objects.filter(initiative=initiative), pk=pk)
    form = PartnershipEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Indiquez une date de départ valide.")
        services.partnership_end(partnership, left_on=form.cleaned_data["left_on"])
        messages.success(request, f"Fin du partenariat de {partnership.organisation} enregistrée.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("initiatives:partners", slug=slug)


def sheet_detail(request, slug, pk):
    sheet = permissions.get_visible_or_404(request.user, PracticeSheet.objects.select_related("initiative",
                                                                                            "territory"),
                                           pk=pk, initiative__slug=slug)
    return render(request, "initiatives/sheet.html", {
        "sheet": sheet, "initiative": sheet.initiative, "can_edit": permissions.can_edit(request.user, sheet)})


@login_required
def sheet_edit(request, slug, pk=None):
    initiative = permissions.get_editable_or_404(request.user, Initiative.objects.all(), slug=slug)
    sheet = get_object_or_404(initiative.sheets, pk=pk) if pk else None
    form = SheetForm(request.POST or None, instance=sheet)
    preview = _preview(request, form) if "preview" in request.POST else None
    if request.method == "POST" and preview is None and form.is_valid():
        try:
            if sheet is None:
                sheet = services.sheet_create(initiative=initiative, author=request.user,
                                              message=form.cleaned_data["message"], **form.service_kwargs())
            else:
                services.sheet_update(sheet, author=request.user, expected_version=form.cleaned_data["version"],
                                      message=form.cleaned_data["message"], **form.service_kwargs())
        except ConflictError as conflict:
            return _conflict(request, form, conflict, revisions.SHEET)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Fiche enregistrée.")
            return redirect(sheet)
    return render(request, "initiatives/sheet_form.html", {
        "form": form, "initiative": initiative, "sheet": sheet, "preview": preview})


def sheet_history(request, slug, pk):
    sheet = permissions.get_visible_or_404(request.user, PracticeSheet.objects.select_related("initiative"),
                                           pk=pk, initiative__slug=slug)
    return render(request, "initiatives/history.html", {
        "object": sheet, "initiative": sheet.initiative, "sheet": sheet,
        "can_edit": permissions.can_edit(request.user, sheet),
        "revisions": _with_diffs(sheet.revisions.all()),
    })


@require_POST
@login_required
def sheet_restore(request, slug, pk, number):
    initiative = permissions.get_editable_or_404(request.user, Initiative.objects.all(), slug=slug)
    sheet = get_object_or_404(initiative.sheets, pk=pk)
    revision = get_object_or_404(Revision, sheet=sheet, number=number)
    services.sheet_restore(sheet, revision=revision, author=request.user)
    messages.success(request, f"Version {number} de la fiche restaurée.")
    return redirect("initiatives:sheet_history", slug=slug, pk=pk)


def organisation_autocomplete(request):
    """Organisations this person may see whose name contains `q` (for the partner picker)."""
    q = fold(request.GET.get("q", ""))[:100]
    try:
        limit = max(1, min(int(request.GET.get("limit", 10)), 20))
    except ValueError:
        limit = 10
    if len(q) < 2:
        return JsonResponse({"items": []})
    orgs = (permissions.visible_queryset(request.user, Organisation.objects.all())
            .filter(search_name__contains=q).order_by("name")[:limit])
    return JsonResponse({"items": [
        {"id": o.pk, "label": o.name, "profile": o.get_profile_display(), "slug": o.slug} for o in orgs]})
