"""Reads for the evaluation dashboards: an initiative's (progress, trends, disaggregations, evidence) as each
person may see it, in a fixed number of queries whatever the number of measurements."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalyse.core import charts, permissions
from catalyse.initiatives.models import Initiative

from . import permissions as evaluation_permissions
from .charts import disaggregation_chart, indicator_progress_chart
from .models import Disaggregation, Evidence, Indicator, IndicatorVersion, Measurement, MeasurementStatus, Objective
from .queries import Progress, Status, progress_from

STATUS_LABELS = {
    Status.NO_DATA: gettext_lazy("Sans donnée validée"), Status.BEHIND: gettext_lazy("En retard"),
    Status.ON_TRACK: gettext_lazy("Dans la trajectoire"), Status.AHEAD: gettext_lazy("En avance"),
}
STATUS_ORDER = [Status.AHEAD, Status.ON_TRACK, Status.BEHIND, Status.NO_DATA]


class ApprovedRow(NamedTuple):
    """What progress and charts read of an approved measurement."""

    pk: int
    indicator_id: int
    period_start: date
    period_end: date
    value: Decimal | None
    level: int | None
    status: str


@dataclass
class IndicatorBoard:
    indicator: Indicator
    version: IndicatorVersion
    progress: Progress
    chart: charts.Chart
    disaggregations: charts.Chart | None
    evidence_count: int
    pending: int  # measurements awaiting review or correction (insiders only; 0 for others)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.progress.status]

    @property
    def progress_percent(self) -> float | None:
        return None if self.progress.progress is None else float(self.progress.progress) * 100


@dataclass
class InitiativeDashboard:
    initiative: Initiative
    on: date
    insider: bool
    boards: list[IndicatorBoard]
    objectives: list = field(default_factory=list)  # (objective, indicator count, evidence count)
    evidence_total: int = 0
    status_chart: charts.Chart | None = None
    progress_chart: charts.Chart | None = None
    evidence_chart: charts.Chart | None = None


def _visible(qs, insider: bool):
    """What of one initiative the viewer may see, once get_visible_or_404 has let them see the initiative: all
    of it for insiders, else what the evaluation's policies publish (their own public_q). The same rule as
    permissions.visible_queryset, without its subqueries over every initiative the viewer may see, which cost
    hundreds of milliseconds at 100,000 initiatives."""
    return qs if insider else qs.filter(permissions.policy_for(qs.model).public_q())


def initiative_dashboard(user, initiative: Initiative, on: date) -> InitiativeDashboard:
    """The dashboard of `initiative` at `on` as `user` sees it: insiders see every indicator and objective,
    others the published ones (and, for them as for everyone, only approved measurements count)."""
    insider = evaluation_permissions.is_insider(user, initiative)
    indicators = list(_visible(Indicator.objects.filter(initiative=initiative), insider).select_related(
        "owner", "objective").prefetch_related("versions").order_by("-key", "name", "pk"))
    ids = [i.pk for i in indicators]
    approved = _visible(Measurement.objects.filter(indicator__in=ids, status=MeasurementStatus.APPROVED,
                                                   period_end__lte=on), insider)
    by_indicator: dict[int, list[ApprovedRow]] = defaultdict(list)
    # Plain rows rather than model instances: ten years of monthly values are hundreds of them.
    for row in approved.order_by("period_end", "period_start", "pk").values_list(*ApprovedRow._fields):
        by_indicator[row[1]].append(ApprovedRow(*row))
    parts = latest_disaggregations([m.pk for ms in by_indicator.values() for m in ms])
    visible_evidence = _visible(Evidence.objects.filter(initiative=initiative), insider)
    evidence_per_indicator = Counter(dict(
        Evidence.indicators.through.objects.filter(indicator_id__in=ids, evidence__in=visible_evidence)
        .values_list("indicator_id").annotate(n=Count("evidence_id")).values_list("indicator_id", "n")))
    pending = Counter()
    if insider:
        pending = Counter(dict(Measurement.objects.filter(
            indicator__in=ids, status__in=[MeasurementStatus.SUBMITTED, MeasurementStatus.RETURNED])
            .values_list("indicator_id").annotate(n=Count("pk")).values_list("indicator_id", "n")))
    boards = []
    for indicator in indicators:
        versions = list(indicator.versions.all())
        version = next(v for v in versions if v.number == indicator.current_version)
        measurements = by_indicator[indicator.pk]
        boards.append(IndicatorBoard(
            indicator=indicator, version=version, progress=progress_from(version, measurements, on),
            chart=indicator_progress_chart(indicator, on=on, versions=versions, measurements=measurements),
            disaggregations=(disaggregation_chart(indicator, *parts[indicator.pk]) if indicator.pk in parts
                             else None),
            evidence_count=evidence_per_indicator[indicator.pk], pending=pending[indicator.pk]))
    objectives = list(_visible(Objective.objects.filter(initiative=initiative), insider).select_related("owner")
                      .order_by("tier", "position", "pk"))
    evidence_per_objective = Counter(dict(
        Evidence.objectives.through.objects.filter(objective__in=[o.pk for o in objectives],
                                                   evidence__in=visible_evidence)
        .values_list("objective_id").annotate(n=Count("evidence_id")).values_list("objective_id", "n")))
    indicators_per_objective = Counter(i.objective_id for i in indicators)
    dashboard = InitiativeDashboard(
        initiative=initiative, on=on, insider=insider, boards=boards,
        objectives=[(o, indicators_per_objective[o.pk], evidence_per_objective[o.pk]) for o in objectives],
        evidence_total=visible_evidence.count())
    _summary_charts(dashboard)
    return dashboard


def latest_disaggregations(measurement_ids) -> dict[int, tuple[date, list]]:
    """indicator id → (period end, [(dimension, category, value)]) of its latest measurement (of those given) that has
    disaggregations, read as plain rows (a measurement per month for ten years is thousands of parts)."""
    latest: dict[int, tuple] = {}
    rows = (Disaggregation.objects.filter(measurement_id__in=measurement_ids)
            .values_list("measurement__indicator_id", "measurement__period_end", "measurement__period_start",
                         "measurement_id", "dimension", "category", "value")
            .order_by("measurement__indicator_id", "measurement__period_end", "measurement__period_start",
                      "measurement_id", "dimension", "category"))
    for indicator_id, end, start, measurement_id, dimension, category, value in rows:
        key = (end, start, measurement_id)
        if indicator_id not in latest or latest[indicator_id][0] < key:
            latest[indicator_id] = (key, [])
        if latest[indicator_id][0] == key:
            latest[indicator_id][1].append((dimension, category, value))
    return {indicator_id: (key[0], parts) for indicator_id, (key, parts) in latest.items()}


def _summary_charts(dashboard: InitiativeDashboard) -> None:
    boards = dashboard.boards
    if not boards:
        return
    statuses = Counter(b.progress.status for b in boards)
    dashboard.status_chart = charts.bar_chart(
        _("Indicateurs selon leur trajectoire"),
        [(STATUS_LABELS[s], statuses[s]) for s in STATUS_ORDER], value_label=_("Indicateurs"))
    dashboard.progress_chart = charts.bar_chart(
        _("Avancement vers la cible finale (%)"),
        [(b.indicator.name, round(b.progress_percent, 1)) for b in boards if b.progress_percent is not None],
        value_label=_("Avancement (%)"), unit="%")
    dashboard.evidence_chart = charts.bar_chart(
        _("Preuves rattachées à chaque indicateur"), [(b.indicator.name, b.evidence_count) for b in boards],
        value_label=_("Preuves"))
