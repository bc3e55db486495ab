"""Pages of part 2 of an initiative's evaluation: change paths (/chemins/), SROI (/sroi/), fears, attractions and
temptations (/craintes/), sense-making sessions (/seances/) and the alliance scorecard (/bilan/).

Each page shows what the person may see (published items to everyone who may see the initiative, everything to
its partners) and, to partners, its forms; a form posted with an error comes back with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from catalyse.core import charts, permissions
from catalyse.initiatives.models import Initiative

from . import charts_partnership, exports_change, publication, queries_change, services_change, sroi
from .forms_change import (
    ChangePathForm,
    FatItemForm,
    FatTransformForm,
    JournalEntryForm,
    SessionForm,
    SroiForm,
    SroiOutcomeFormSet,
    VisionForm,
)
from .models import (
    ChangePath,
    FatKind,
    JournalEntry,
    MarkerStatus,
    SroiEstimate,
)
from .permissions import can_contribute


def _initiative(request, slug) -> Initiative:
    return permissions.get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)


def _writer(request, initiative) -> None:
    if not can_contribute(request.user, initiative):
        raise PermissionDenied(_("Réservé aux partenaires de l'initiative."))


def _posted(request, action: str) -> bool:
    return request.method == "POST" and request.POST.get("action") == action


def _saved(form, write) -> bool:
    """Run `write` (a service call) for a valid form; its ValidationError goes back onto the form."""
    if not form.is_valid():
        return False
    try:
        write()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    return True


def _with_publication(user, items) -> list:
    """Each item with its publication state and what `user` may do with it (for evaluation/_publication.html)."""
    items = list(items)
    for item in items:
        item.publication = publication.status(item)
        item.publication_actions = publication.actions_for(user, item, item.publication)
    return items


def _page(request, initiative, template: str, context: dict):
    return render(request, f"evaluation/change/{template}", {
        "initiative": initiative, "can_write": can_contribute(request.user, initiative), **context})


# Change paths ------------------------------------------------------------------------------------------------------

def change_paths(request, slug):
    initiative = _initiative(request, slug)
    if request.method == "POST":
        _writer(request, initiative)
    posted = request.POST if request.method == "POST" else None
    vision_form = VisionForm(posted if _posted(request, "vision") else None)
    path_form = ChangePathForm(posted if _posted(request, "path") else None, initiative=initiative)
    if _posted(request, "vision") and _saved(vision_form, lambda: services_change.vision_set(
            initiative=initiative, text=vision_form.cleaned_data["text"], actor=request.user)):
        messages.success(request, _("Vision enregistrée."))
        return redirect("evaluation:change_paths", slug=slug)
    if _posted(request, "path") and _saved(path_form, lambda: services_change.change_path_create(
            initiative=initiative, organisation=path_form.cleaned_data["organisation"],
            actor_name=path_form.cleaned_data["actor_name"], markers=path_form.markers(),
            outcome_challenge=path_form.cleaned_data["outcome_challenge"], created_by=request.user)):
        messages.success(request, _("Chemin de changement ajouté."))
        return redirect("evaluation:change_paths", slug=slug)
    paths = _with_publication(request.user, queries_change.change_paths_visible(request.user, initiative))
    today = timezone.localdate()
    for path in paths:
        action = f"journal-{path.pk}"
        path.journal_form = JournalEntryForm(posted if _posted(request, action) else None, path=path)
        if _posted(request, action) and _saved(path.journal_form, lambda p=path: _journal_write(request, p)):
            messages.success(request, _("Changement noté dans le journal."))
            return redirect(f"{request.path}#chemin-{path.pk}")
        path.timeline = queries_change.path_timeline(path, today)
        path.levels = queries_change.level_counts(path.markers_list, path.status)
        path.entries = _with_publication(request.user, path.entries)
    vision = queries_change.vision_visible(request.user, initiative)
    if vision is not None:
        _with_publication(request.user, [vision])
        vision_form.initial = {"text": vision.text}
    return _page(request, initiative, "change_paths.html", {
        "vision": vision, "vision_form": vision_form, "path_form": path_form, "paths": paths,
        "chart": _paths_chart(paths), "today": today})


def _journal_write(request, path: ChangePath) -> JournalEntry:
    data = path.journal_form.cleaned_data
    return services_change.journal_entry_create(
        path=path, marker=data["marker"], observed_on=data["observed_on"], status=data["status"],
        observed_change=data["observed_change"], significance=data["significance"],
        contribution=data["contribution"], evidence=data["evidence"], confirmed_by=data["confirmed_by"],
        confirmed_by_role=data["confirmed_by_role"], created_by=request.user)


def _paths_chart(paths) -> charts.Chart:
    names = [path.actor for path in paths]
    counts = [{status: sum(1 for s in path.status.values() if s == status) for status in MarkerStatus.values}
              for path in paths]
    series = [charts.Series(str(label), [c[status] for c in counts]) for status, label in MarkerStatus.choices]
    return charts.grouped_bar_chart(_("Marqueurs de progrès par acteur, selon leur statut actuel"), names, series,
                                    stacked=True)


# SROI --------------------------------------------------------------------------------------------------------------

def sroi_page(request, slug):
    initiative = _initiative(request, slug)
    form, outcomes, computed = SroiForm(), SroiOutcomeFormSet(prefix="effets"), None
    if request.method == "POST":
        _writer(request, initiative)
        form, outcomes = SroiForm(request.POST), SroiOutcomeFormSet(request.POST, prefix="effets")
        if form.is_valid() and outcomes.is_valid():
            data = form.cleaned_data
            fields = {"outcomes": [f.outcome() for f in outcomes if f.cleaned_data],
                      "discount_rate": data["discount_rate"] / 100, "investment": data["investment"]}
            try:
                if "save" in request.POST:
                    estimate = services_change.sroi_estimate_create(
                        initiative=initiative, title=data["title"], investment_note=data["investment_note"],
                        sensitivity_step=data["sensitivity_step"] / 100, notes=data["notes"], created_by=request.user,
                        **fields)
                    messages.success(request, _("Estimation enregistrée."))
                    return redirect(f"{request.path}#estimation-{estimate.pk}")
                inputs = services_change.sroi_inputs_make(**fields)
                computed = _result(inputs, data["sensitivity_step"] / 100, title=data["title"])
            except ValidationError as exc:
                form.add_error(None, [f"{field} : {' '.join(errors)}" for field, errors in exc.message_dict.items()]
                               if hasattr(exc, "error_dict") else exc)
    estimates = _with_publication(request.user, queries_change.sroi_estimates_visible(request.user, initiative))
    results = [_result(services_change.sroi_inputs(e), e.sensitivity_step, estimate=e) for e in estimates]
    return _page(request, initiative, "sroi.html", {"form": form, "outcomes": outcomes, "computed": computed,
                                                    "results": results})


def _result(inputs: sroi.Inputs, step, *, estimate: SroiEstimate | None = None, title: str = "") -> dict:
    result = sroi.estimate(inputs)
    chart = charts.bar_chart(_("Valeur actuelle par effet (estimation, €)"),
                             [(r.outcome.name, float(round(r.present_value, 2))) for r in result.outcomes],
                             unit="€", value_label=_("Valeur actuelle (€)"))
    return {"estimate": estimate, "title": estimate.title if estimate else title, "result": result,
            "sensitivity": sroi.sensitivity(inputs, step), "step": step, "chart": chart,
            "discount_rate": inputs.discount_rate}


def sroi_export(request, slug, pk):
    initiative = _initiative(request, slug)
    estimate = permissions.get_visible_or_404(request.user, SroiEstimate.objects.filter(initiative=initiative),
                                              pk=pk)
    return exports_change.sroi_csv_response(estimate)


# Fears, attractions, temptations -----------------------------------------------------------------------------------

def fat_page(request, slug):
    initiative = _initiative(request, slug)
    if request.method == "POST":
        _writer(request, initiative)
    form = FatItemForm(request.POST if _posted(request, "item") else None, initiative=initiative)
    if _posted(request, "item") and _saved(form, lambda: services_change.fat_item_create(
            initiative=initiative, created_by=request.user, **form.cleaned_data)):
        messages.success(request, _("Élément ajouté."))
        return redirect("evaluation:fat", slug=slug)
    items = _with_publication(request.user, queries_change.fat_items_visible(request.user, initiative))
    for item in items:
        action = f"transform-{item.pk}"
        item.form = FatTransformForm(request.POST if _posted(request, action) else None, item=item)
        if _posted(request, action) and _saved(item.form, lambda i=item: services_change.fat_item_transform(
                i, actor=request.user, **i.form.cleaned_data)):
            messages.success(request, _("Suite enregistrée."))
            return redirect(f"{request.path}#element-{item.pk}")
    by_partner: dict = {}
    for item in items:
        by_partner.setdefault(item.organisation, []).append(item)
    kinds = dict(FatKind.choices)
    return _page(request, initiative, "fat.html", {
        "form": form, "by_partner": by_partner, "kinds": kinds,
        "rules": _with_publication(request.user, queries_change.conduct_rules_visible(request.user, initiative))})


# Sense-making sessions ---------------------------------------------------------------------------------------------

def sessions_page(request, slug):
    initiative = _initiative(request, slug)
    versions = services_change.versions_of(initiative)
    form = SessionForm(request.POST if _posted(request, "session") else None, initiative=initiative,
                       versions=versions)
    if request.method == "POST":
        _writer(request, initiative)
        if _saved(form, lambda: services_change.session_create(initiative=initiative, created_by=request.user,
                                                               **form.service_kwargs())):
            messages.success(request, _("Séance enregistrée."))
            return redirect("evaluation:sessions", slug=slug)
    sessions = _with_publication(request.user, queries_change.sessions_visible(request.user, initiative))
    return _page(request, initiative, "sessions.html", {"form": form, "sessions": sessions})


# Scorecard ---------------------------------------------------------------------------------------------------------

def scorecard_page(request, slug):
    initiative = _initiative(request, slug)
    card = queries_change.scorecard(request.user, initiative, timezone.localdate())
    statuses = [("no_data", _("Sans donnée")), ("behind", _("En retard")), ("on_track", _("Dans les temps")),
                ("ahead", _("En avance"))]
    families_chart = charts.grouped_bar_chart(
        _("Indicateurs par famille d'impact, selon leur avancement"), [str(f.label) for f in card.families],
        [charts.Series(str(label), [f.counts.get(status, 0) for f in card.families]) for status, label in statuses],
        stacked=True)
    sroi_result = None
    if card.latest_sroi is not None:
        sroi_result = sroi.estimate(services_change.sroi_inputs(card.latest_sroi))
    maturity_radar = None
    if card.maturity is not None:
        results = card.maturity[0]
        maturity_radar = charts_partnership.maturity_radar(
            results, _("%(wave)s : l'alliance") % {"wave": results.wave.title}, results.alliance)
    return _page(request, initiative, "scorecard.html", {
        "card": card, "families_chart": families_chart, "sroi_result": sroi_result,
        "maturity_radar": maturity_radar, "periods": card.mobilisation.periods[-4:]})
