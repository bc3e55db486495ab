"""Pages of the partnership's own evaluation: /initiatives/<slug>/evaluation/mobilisation/ and …/maturite/.

Everyone who may see the initiative sees what the partners published; its insiders see everything and its
partners and editors write (forms on the same page), through `services_partnership`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalyse.core import permissions
from catalyse.initiatives.models import Initiative

from . import charts_partnership as charts
from . import publication
from . import queries_partnership as queries
from . import services_partnership as services
from .forms_partnership import EventForm, LevelForm, QuestionnaireForm, ResponseForm, WaveForm, service_errors
from .models import (
    ChangePath,
    ChangeVision,
    ConductRule,
    EngagementLevel,
    EngagementScale,
    FatItem,
    JournalEntry,
    MaturityWave,
    MobilisationEvent,
    SenseMakingSession,
    SroiEstimate,
)
from .permissions import can_contribute, is_insider

PUBLISHABLE = {"evenement": MobilisationEvent, "niveau": EngagementLevel, "vague": MaturityWave,
               "vision": ChangeVision, "chemin": ChangePath, "journal": JournalEntry, "crainte": FatItem,
               "regle": ConductRule, "seance": SenseMakingSession, "sroi": SroiEstimate}
# The page each kind of item is shown on, to come back to it.
PAGE_OF = {"vague": "evaluation:maturity", "vision": "evaluation:change_paths", "chemin": "evaluation:change_paths",
           "journal": "evaluation:change_paths", "crainte": "evaluation:fat", "regle": "evaluation:fat",
           "seance": "evaluation:sessions", "sroi": "evaluation:sroi"}


def _initiative(request, slug: str) -> Initiative:
    return permissions.get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)


def _with_publication(user, items, insider: bool = False) -> list:
    for item in items:
        item.publication = publication.status(item)
        item.publication_actions = publication.actions_for(user, item, item.publication)
        if hasattr(item, "evidence"):  # insiders see the whole library, others its published items
            item.evidence_shown = [e for e in item.evidence.all() if insider or e.is_public]
    return items


def _submitted(request, form_name: str):
    """The POST data when this form was the one sent; only partners and editors may send."""
    return request.POST if request.method == "POST" and request.POST.get("form") == form_name else None


def mobilisation(request, slug):
    initiative = _initiative(request, slug)
    contributor = can_contribute(request.user, initiative)
    if request.method == "POST" and not contributor:
        raise PermissionDenied(_("Réservé aux partenaires de l'initiative."))
    event_form = EventForm(initiative, _submitted(request, "event"), prefix="event")
    level_form = LevelForm(initiative, _submitted(request, "level"), prefix="level")
    for form, save in ((event_form, services.mobilisation_event_create), (level_form, services.engagement_level_set)):
        if form.is_bound and form.is_valid():
            try:
                save(initiative=initiative, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("Enregistré. Visible des seuls partenaires tant qu'il n'est pas publié."))
                return redirect(request.path)
    overview = queries.mobilisation_overview(request.user, initiative)
    insider = is_insider(request.user, initiative)
    return render(request, "evaluation/mobilisation.html", {
        "initiative": initiative, "overview": overview, "contributor": contributor, "insider": insider,
        "scale": EngagementScale.choices, "engaged_from": queries.ENGAGED_FROM, "event_form": event_form,
        "level_form": level_form, "events": _with_publication(request.user, overview.events, insider),
        "levels": _with_publication(request.user, overview.levels, insider),
        "timeline": charts.mobilisation_timeline(overview), "engaged_chart": charts.engaged_by_profile(overview),
    })


def maturity(request, slug):
    initiative = _initiative(request, slug)
    contributor = can_contribute(request.user, initiative)
    if request.method == "POST" and not contributor:
        raise PermissionDenied(_("Réservé aux partenaires de l'initiative."))
    wave_form = WaveForm(_submitted(request, "wave"))
    if wave_form.is_bound and wave_form.is_valid():
        wave = services.maturity_wave_open(initiative=initiative, actor=request.user, **wave_form.cleaned_data)
        messages.success(request, _("Vague ouverte : enregistrez maintenant les réponses."))
        return redirect(f"{request.path}#vague-{wave.pk}")
    waves = []
    previous = None
    for results, change in queries.maturity_overview(request.user, initiative):
        wave = results.wave
        form = ResponseForm(initiative, wave, _submitted(request, f"response-{wave.pk}")) if contributor else None
        if form is not None and form.is_bound and form.is_valid():
            try:
                services.maturity_response_add(wave=wave, organisation=form.cleaned_data["organisation"],
                                               answers=form.answers(), respondent=form.cleaned_data["respondent"],
                                               comment=form.cleaned_data["comment"], actor=request.user)
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("Réponse enregistrée."))
                return redirect(f"{request.path}#vague-{wave.pk}")
        _with_publication(request.user, [wave])
        waves.append({
            "results": results, "form": form, "change": change,
            "radar": charts.maturity_radar(results, _("%(wave)s : l'alliance") % {"wave": wave.title},
                                           results.alliance),
            "partners": [(org, stats, charts.maturity_radar(results, f"{wave.title} : {org.name}", stats))
                         for org, stats in results.by_partner],
            "change_chart": charts.maturity_change(previous, results) if previous else None,
            "previous": previous,
        })
        previous = results
    return render(request, "evaluation/maturity.html", {
        "initiative": initiative, "contributor": contributor, "insider": is_insider(request.user, initiative),
        "questionnaire": queries.questionnaire_axes(initiative), "waves": list(reversed(waves)),
        "wave_form": wave_form,
    })


@login_required
def maturity_questionnaire(request, slug):
    initiative = _initiative(request, slug)
    if not can_contribute(request.user, initiative):
        raise PermissionDenied(_("Réservé aux partenaires de l'initiative."))
    current = queries.questionnaire_axes(initiative)
    form = QuestionnaireForm(request.POST or None, initial={"text": QuestionnaireForm.as_text(current)})
    if form.is_valid():
        try:
            services.maturity_questionnaire_set(initiative=initiative, axes=form.axes(current), actor=request.user)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, _("Questionnaire enregistré : il vaut pour les prochaines vagues."))
            return redirect("evaluation:maturity", slug=slug)
    return render(request, "evaluation/questionnaire.html", {"initiative": initiative, "form": form})


@login_required
@require_POST
def publication_action(request, slug, kind, pk):
    model = PUBLISHABLE.get(kind)
    if model is None:
        raise Http404
    item = permissions.get_visible_or_404(request.user, model.objects.all(), pk=pk)
    if item.publication_initiative().slug != slug:
        raise Http404
    action = request.POST.get("action")
    actions = {"request": publication.publication_request, "withdraw": publication.publication_withdraw,
               "approve": lambda user, obj: publication.publication_approve(
                   user, obj, on_behalf_reason=request.POST.get("on_behalf_reason", ""))}
    if action not in actions:
        raise Http404
    try:
        state = actions[action](request.user, item).state
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, {
            publication.State.PUBLISHED: _("Publié."), publication.State.PRIVATE: _("Réservé aux partenaires."),
            publication.State.REQUESTED: _("En attente de l'accord du partenaire concerné."),
        }[state])
    page = PAGE_OF.get(kind, "evaluation:mobilisation")
    return redirect(reverse(page, args=[slug]) + f"#{kind}-{item.pk}")
