"""The pages of an initiative's evaluation (/initiatives/<slug>/evaluation/…): thin views over `services`
(writes) and `queries` (reads). Who may see or do what is `evaluation.permissions`: an invisible item answers
404, a visible one this person may not change 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalyse.core import permissions
from catalyse.core.forms import more_rows
from catalyse.initiatives.models import Initiative

from . import exports, queries, services
from .charts import indicator_progress_chart
from .forms import (
    FrameworkForm,
    IndicatorForm,
    LockForm,
    MeasurementForm,
    ObjectiveForm,
    ReturnForm,
    add_service_errors,
)
from .models import Framework, Indicator, Measurement, Objective
from .permissions import can_contribute, can_review, is_insider


def _initiative(request, slug: str) -> Initiative:
    return permissions.get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)


def _contributed(request, slug: str) -> Initiative:
    initiative = _initiative(request, slug)
    if not can_contribute(request.user, initiative):
        raise PermissionDenied(_("Réservé aux partenaires de l'initiative."))
    return initiative


def _reviewed(request, slug: str) -> Initiative:
    initiative = _initiative(request, slug)
    if not can_review(request.user, initiative):
        raise PermissionDenied(_("Réservé aux responsables de l'évaluation de l'initiative."))
    return initiative


def _framework(initiative: Initiative) -> Framework:
    """The framework as stored, or an unsaved default: reading a page writes nothing."""
    return Framework.objects.filter(initiative=initiative).first() or Framework(initiative=initiative)


def _roles(request, initiative: Initiative) -> dict:
    return {"can_contribute": can_contribute(request.user, initiative),
            "can_review": can_review(request.user, initiative),
            "can_edit_framework": permissions.is_member(request.user)
            and permissions.can_edit(request.user, initiative)}


def overview(request, slug):
    initiative = _initiative(request, slug)
    today = timezone.localdate()
    indicators = queries.with_current_versions(queries.indicators_visible(request.user, initiative))
    queries.progress_of(indicators, today)
    insider = is_insider(request.user, initiative)
    return render(request, "evaluation/overview.html", {
        "initiative": initiative, "framework": _framework(initiative), "insider": insider,
        "tree": queries.objectives_tree(queries.objectives_visible(request.user, initiative)),
        "indicators": indicators, "active_count": sum(1 for indicator in indicators if indicator.active),
        "too_many": insider and queries.too_many_indicators(initiative),
        "late": queries.late_collections(initiative, today) if insider else {},
        "tab": "overview", **_roles(request, initiative),
    })


def export(request, slug, table, fmt):
    return exports.evaluation_download(request.user, _initiative(request, slug), table, fmt)


@login_required
def framework_edit(request, slug):
    initiative = _initiative(request, slug)
    if not permissions.can_edit(request.user, initiative):
        raise PermissionDenied(_("Réservé aux personnes qui modifient l'initiative."))
    form = FrameworkForm(request.POST or None, framework=_framework(initiative))
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_set(initiative=initiative, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Cadre d'évaluation enregistré."))
            return redirect("evaluation:overview", slug)
    return render(request, "evaluation/framework_form.html", {"initiative": initiative, "form": form})


@login_required
def objective_create(request, slug):
    initiative = _contributed(request, slug)
    return _objective_form(request, initiative, None)


@login_required
def objective_edit(request, slug, pk):
    initiative = _initiative(request, slug)
    objective = permissions.get_editable_or_404(request.user, Objective.objects.filter(initiative=initiative), pk=pk)
    return _objective_form(request, initiative, objective)


def _objective_form(request, initiative, objective):
    form = ObjectiveForm(request.POST or None, initiative=initiative, objective=objective,
                         tier_names=_framework(initiative).tier_names)
    if request.method == "POST" and form.is_valid():
        try:
            if objective is None:
                services.objective_create(initiative=initiative, created_by=request.user, **form.cleaned_data)
            else:
                services.objective_update(objective, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Objectif enregistré."))
            return redirect(reverse("evaluation:overview", args=[initiative.slug]) + "#objectifs")
    return render(request, "evaluation/objective_form.html",
                  {"initiative": initiative, "objective": objective, "form": form})


@login_required
def indicator_create(request, slug):
    initiative = _contributed(request, slug)
    form = IndicatorForm(request.POST or None, initiative=initiative, more=more_rows(request))
    if request.method == "POST" and not more_rows(request) and form.is_valid():
        try:
            indicator = services.indicator_create(initiative=initiative, created_by=request.user,
                                                  **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc, IndicatorForm.ALIASES)
        else:
            messages.success(request, _("Indicateur enregistré."))
            return redirect("evaluation:indicator", slug, indicator.pk)
    return render(request, "evaluation/indicator_form.html", {"initiative": initiative, "form": form})


@login_required
def indicator_edit(request, slug, pk):
    initiative = _initiative(request, slug)
    indicator = permissions.get_editable_or_404(request.user, Indicator.objects.filter(initiative=initiative), pk=pk)
    form = IndicatorForm(request.POST or None, initiative=initiative, indicator=indicator, more=more_rows(request))
    if request.method == "POST" and not more_rows(request) and form.is_valid():
        try:
            services.indicator_update(indicator, actor=request.user, **form.service_kwargs(), **form.reason_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc, IndicatorForm.ALIASES)
        else:
            messages.success(request, _("Nouvelle version de la définition enregistrée.") if form.changes
                             else _("Indicateur enregistré."))
            return redirect("evaluation:indicator", slug, indicator.pk)
    return render(request, "evaluation/indicator_form.html",
                  {"initiative": initiative, "indicator": indicator, "form": form})


def indicator_detail(request, slug, pk):
    initiative = _initiative(request, slug)
    indicator = permissions.get_visible_or_404(
        request.user, Indicator.objects.filter(initiative=initiative).select_related("owner", "objective"), pk=pk)
    versions = list(indicator.versions.order_by("-number"))
    indicator.current = next(v for v in versions if v.number == indicator.current_version)
    return render(request, "evaluation/indicator.html", {
        "initiative": initiative, "indicator": indicator, "versions": versions,
        "measurements": queries.measurements_visible(request.user, indicator),
        "progress": queries.indicator_progress(indicator, timezone.localdate()),
        "chart": indicator_progress_chart(indicator, versions=versions), "return_form": ReturnForm(), "tab": "overview",
        **_roles(request, initiative),
    })


@login_required
def measurement_create(request, slug, pk):
    initiative = _initiative(request, slug)
    indicator = permissions.get_editable_or_404(request.user, Indicator.objects.filter(initiative=initiative), pk=pk)
    version = services.current_version(indicator)
    form = MeasurementForm(request.POST or None, version=version, more=more_rows(request))
    if request.method == "POST" and not more_rows(request) and form.is_valid():
        try:
            services.measurement_create(indicator=indicator, author=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Mesure enregistrée en brouillon : soumettez-la quand elle est prête."))
            return redirect(reverse("evaluation:indicator", args=[slug, pk]) + "#mesures")
    return render(request, "evaluation/measurement_form.html",
                  {"initiative": initiative, "indicator": indicator, "version": version, "form": form})


def _measurement(request, slug, pk, editable: bool = True) -> Measurement:
    initiative = _initiative(request, slug)
    measurements = Measurement.objects.filter(indicator__initiative=initiative).select_related(
        "indicator__initiative", "version")
    if editable:
        return permissions.get_editable_or_404(request.user, measurements, pk=pk)
    return permissions.get_visible_or_404(request.user, measurements, pk=pk)


@login_required
def measurement_edit(request, slug, pk):
    measurement = _measurement(request, slug, pk)
    indicator = measurement.indicator
    form = MeasurementForm(request.POST or None, version=measurement.version, measurement=measurement,
                           more=more_rows(request))
    if request.method == "POST" and not more_rows(request) and form.is_valid():
        try:
            services.measurement_update(measurement, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Mesure enregistrée."))
            return redirect(reverse("evaluation:indicator", args=[slug, indicator.pk]) + "#mesures")
    return render(request, "evaluation/measurement_form.html", {
        "initiative": indicator.initiative, "indicator": indicator, "version": measurement.version,
        "measurement": measurement, "form": form})


def _after_review(request, measurement: Measurement):
    """Back to the page the button was on: the review queue or the indicator sheet."""
    if request.POST.get("next") == "queue":
        return redirect("evaluation:review", measurement.indicator.initiative.slug)
    return redirect(reverse("evaluation:indicator", args=[measurement.indicator.initiative.slug,
                                                          measurement.indicator_id]) + "#mesures")


def _transition(request, measurement: Measurement, action, success: str):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return _after_review(request, measurement)


@login_required
@require_POST
def measurement_submit(request, slug, pk):
    measurement = _measurement(request, slug, pk)
    return _transition(request, measurement, lambda: services.measurement_submit(measurement, actor=request.user),
                       _("Mesure soumise aux responsables de l'évaluation."))


@login_required
@require_POST
def measurement_approve(request, slug, pk):
    measurement = _measurement(request, slug, pk, editable=False)
    if not can_review(request.user, measurement.indicator.initiative):
        raise PermissionDenied(_("Réservé aux responsables de l'évaluation de l'initiative."))
    return _transition(request, measurement,
                       lambda: services.measurement_approve(measurement, reviewer=request.user), _("Mesure validée."))


@login_required
@require_POST
def measurement_return(request, slug, pk):
    measurement = _measurement(request, slug, pk, editable=False)
    if not can_review(request.user, measurement.indicator.initiative):
        raise PermissionDenied(_("Réservé aux responsables de l'évaluation de l'initiative."))
    note = request.POST.get("note", "")
    return _transition(request, measurement,
                       lambda: services.measurement_return(measurement, reviewer=request.user, note=note),
                       _("Mesure renvoyée avec votre note."))


@login_required
def review(request, slug):
    initiative = _reviewed(request, slug)
    framework = _framework(initiative)
    form = LockForm(request.POST or None, initial={"until": framework.locked_until})
    if request.method == "POST" and form.is_valid():
        services.framework_lock(initiative=initiative, until=form.cleaned_data["until"], actor=request.user)
        messages.success(request, _("Verrouillage des périodes enregistré."))
        return redirect("evaluation:review", slug)
    return render(request, "evaluation/review.html", {
        "initiative": initiative, "framework": framework, "lock_form": form, "return_form": ReturnForm(),
        "submitted": queries.measurements_submitted(initiative),
        "tab": "review", **_roles(request, initiative),
    })
