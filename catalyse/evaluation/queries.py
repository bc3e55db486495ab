"""Reads of the evaluation: lists as each person may see them (key indicators first), and progress against targets.

Progress at a date `on` (only approved measurements count; the definition in force is the current version):

- actual: `none` and `cumulative_latest` → the value of the latest approved measurement whose period ends on or
  before `on`; `cumulative` → the sum of those values;
- expected: the target line interpolated linearly in days through the baseline (date, value) and the dated
  targets; before the first point the baseline, after the last target the final target;
- progress = (actual − baseline) / (final target − baseline), baseline 0 when "not applicable";
- status: `no_data` without an approved measurement; otherwise r = (actual − baseline) / (expected − baseline):
  `ahead` above 1.15, `on_track` from 0.85 to 1.15, `behind` below 0.85; when expected equals baseline,
  `on_track` if actual moved in the indicator's direction or stayed, else `behind`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, Prefetch, Q, QuerySet

from catalyse.core import permissions
from catalyse.initiatives.models import Initiative

from .models import (
    INDICATORS_WARNING_ABOVE,
    Cumulation,
    Direction,
    Evidence,
    Frequency,
    Indicator,
    IndicatorVersion,
    Measurement,
    MeasurementStatus,
    Objective,
)

BAND_LOW, BAND_HIGH = Decimal("0.85"), Decimal("1.15")


class Status:
    NO_DATA = "no_data"
    BEHIND = "behind"
    ON_TRACK = "on_track"
    AHEAD = "ahead"


@dataclass(frozen=True)
class Progress:
    baseline: Decimal
    actual: Decimal | None
    expected: Decimal
    final_target: Decimal
    progress: Decimal | None  # None without data, or when the final target equals the baseline
    status: str


def _value(measurement: Measurement) -> Decimal:
    return measurement.value if measurement.value is not None else Decimal(measurement.level)


def expected_at(version: IndicatorVersion, on: date) -> Decimal:
    """The target line at `on`: linear in days between the baseline point and the dated targets."""
    baseline = version.baseline_value if version.baseline_value is not None else Decimal(0)
    points = [(date.fromisoformat(t["date"]), Decimal(t["value"])) for t in version.targets]
    if version.baseline_date is not None:
        points.insert(0, (version.baseline_date, baseline))
    if not points or on < points[0][0]:
        return baseline
    for (start, low), (end, high) in zip(points, points[1:], strict=False):
        if start <= on <= end:
            return low + (high - low) * Decimal((on - start).days) / Decimal((end - start).days)
    return points[-1][1]


def progress_status(actual: Decimal | None, expected: Decimal, baseline: Decimal, direction: str) -> str:
    if actual is None:
        return Status.NO_DATA
    if expected == baseline:
        moved = actual - baseline
        return Status.ON_TRACK if (moved >= 0 if direction == Direction.INCREASE else moved <= 0) else Status.BEHIND
    # Both differences change sign together with the direction: no special case for decreasing indicators.
    ratio = (actual - baseline) / (expected - baseline)
    if ratio > BAND_HIGH:
        return Status.AHEAD
    return Status.ON_TRACK if ratio >= BAND_LOW else Status.BEHIND


def indicator_progress(indicator: Indicator, on: date) -> Progress:
    version = indicator.versions.get(number=indicator.current_version)
    approved = list(indicator.measurements.filter(status=MeasurementStatus.APPROVED, period_end__lte=on)
                    .order_by("period_end", "period_start", "pk"))
    return progress_from(version, approved, on)


def progress_of(indicators: list[Indicator], on: date) -> None:
    """Sets `.progress` on indicators fetched through `with_current_versions`, in one query for all of them."""
    approved: dict[int, list[Measurement]] = {indicator.pk: [] for indicator in indicators}
    for measurement in Measurement.objects.filter(indicator__in=list(approved), status=MeasurementStatus.APPROVED,
                                                  period_end__lte=on).order_by("period_end", "period_start", "pk"):
        approved[measurement.indicator_id].append(measurement)
    for indicator in indicators:
        indicator.progress = progress_from(indicator.current, approved[indicator.pk], on)


def progress_from(version: IndicatorVersion, approved: list[Measurement], on: date) -> Progress:
    """Progress from already fetched rows: `approved` are the approved measurements ending on or before `on`,
    sorted by (period_end, period_start, pk) (dashboards fetch them for several indicators at once)."""
    baseline = version.baseline_value if version.baseline_value is not None else Decimal(0)
    final_target = Decimal(version.targets[-1]["value"])
    if not approved:
        actual = None
    elif version.cumulation == Cumulation.CUMULATIVE:
        actual = sum((_value(m) for m in approved), Decimal(0))
    else:
        actual = _value(approved[-1])
    expected = expected_at(version, on)
    progress = None
    if actual is not None and final_target != baseline:
        progress = (actual - baseline) / (final_target - baseline)
    return Progress(baseline=baseline, actual=actual, expected=expected, final_target=final_target,
                    progress=progress, status=progress_status(actual, expected, baseline, version.direction))


def with_current_versions(indicators) -> list[Indicator]:
    """The indicators with their definition in force as `.current`, in one query."""
    indicators = list(indicators)
    versions = IndicatorVersion.objects.filter(indicator__in=[i.pk for i in indicators])
    by_key = {(v.indicator_id, v.number): v for v in versions}
    for indicator in indicators:
        indicator.current = by_key[(indicator.pk, indicator.current_version)]
    return indicators


def indicators_visible(user, initiative: Initiative) -> QuerySet[Indicator]:
    """The initiative's indicators `user` may see, key indicators first."""
    return permissions.visible_queryset(user, Indicator.objects.filter(initiative=initiative)).select_related(
        "owner", "objective").order_by("-key", "name", "pk")


def objectives_visible(user, initiative: Initiative) -> QuerySet[Objective]:
    return permissions.visible_queryset(user, Objective.objects.filter(initiative=initiative)).select_related(
        "owner", "parent", "contributes_to")


def measurements_visible(user, indicator: Indicator) -> QuerySet[Measurement]:
    """An indicator's measurements `user` may see (to outsiders: the approved ones of a published indicator)."""
    return permissions.visible_queryset(user, indicator.measurements.all()).select_related("version").prefetch_related(
        "disaggregations").order_by("period_end", "period_start", "pk")


def evidence_tag_q(tag: str) -> Q:
    """Evidence carrying exactly this tag (tags are stored "a, b, c"; case ignored)."""
    tag = " ".join(str(tag).split())
    return (Q(tags__iexact=tag) | Q(tags__istartswith=f"{tag},") | Q(tags__iendswith=f", {tag}")
            | Q(tags__icontains=f", {tag},"))


def evidence_visible(user, initiative: Initiative, *, kind: str = "", tag: str = "",
                     indicator: int | None = None) -> QuerySet[Evidence]:
    """The initiative's evidence `user` may see, newest first, with the indicators, objectives and measurements
    it backs as far as `user` may see them (`.indicators.all()`… read the prefetched, filtered lists)."""
    qs = permissions.visible_queryset(user, Evidence.objects.filter(initiative=initiative))
    if kind:
        qs = qs.filter(kind=kind)
    if tag:
        qs = qs.filter(evidence_tag_q(tag))
    if indicator:
        qs = qs.filter(indicators=indicator)
    return with_evidence_links(user, qs).order_by("-created_at", "-pk")


def with_evidence_links(user, qs: QuerySet[Evidence]) -> QuerySet[Evidence]:
    return qs.prefetch_related(
        Prefetch("indicators", permissions.visible_queryset(user, Indicator.objects.all())),
        Prefetch("objectives", permissions.visible_queryset(user, Objective.objects.all())),
        Prefetch("measurements", permissions.visible_queryset(user, Measurement.objects.select_related("indicator"))),
    )


def evidence_tags_used(user, initiative: Initiative) -> list[str]:
    """The tags of the evidence `user` may see, for the library's filter."""
    tags: dict[str, str] = {}
    for text in permissions.visible_queryset(user, Evidence.objects.filter(initiative=initiative)).values_list(
            "tags", flat=True):
        for tag in text.split(","):
            if tag.strip():
                tags.setdefault(tag.strip().casefold(), tag.strip())
    return sorted(tags.values(), key=str.casefold)


def too_many_indicators(initiative: Initiative) -> bool:
    """"Too many indicators kill information": the framework shows a warning above five active ones."""
    return Indicator.objects.filter(initiative=initiative, active=True).count() > INDICATORS_WARNING_ABOVE


MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day (31 January + 1 → 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class LateCollection:
    indicator: Indicator
    last_period_end: date | None
    due: date


def late_collections(initiative: Initiative, on: date) -> dict:
    """Active indicators whose next value was due before `on`, by owner (None: the collective), for reminders.

    Due: one collection period (the indicator's frequency) after the end of its last measured period, whatever
    its review status; never measured, one period after the baseline date, else after its creation. A one-off
    collection is due at the first target's date and then never again."""
    late: dict = {}
    indicators = with_current_versions(Indicator.objects.filter(initiative=initiative, active=True).select_related(
        "owner").annotate(last_period_end=Max("measurements__period_end")).order_by("-key", "name", "pk"))
    for indicator in indicators:
        last = indicator.last_period_end
        if indicator.frequency == Frequency.ONCE:
            if last is not None:
                continue
            due = date.fromisoformat(indicator.current.targets[0]["date"])
        else:
            start = last or indicator.current.baseline_date or indicator.created_at.date()
            due = add_months(start, MONTHS[indicator.frequency])
        if due < on:
            late.setdefault(indicator.owner, []).append(LateCollection(indicator, last, due))
    return late


@dataclass
class ObjectiveNode:
    objective: Objective
    children: list[ObjectiveNode]
    contributes_to: Objective | None  # None when there is none, or when this person may not see it
    contributions: list[Objective]  # the partners' objectives (visible here) that claim a contribution to this one


def objectives_tree(objectives) -> list[ObjectiveNode]:
    """The objectives as a tree, in their order; an objective whose parent this person may not see is a root.
    `objectives`: a visible queryset (`objectives_visible`)."""
    objectives = list(objectives)
    by_id = {objective.pk: objective for objective in objectives}
    nodes = {objective.pk: ObjectiveNode(objective, [], by_id.get(objective.contributes_to_id), [])
             for objective in objectives}
    roots = []
    for objective in objectives:
        node = nodes[objective.pk]
        (nodes[objective.parent_id].children if objective.parent_id in nodes else roots).append(node)
        if node.contributes_to is not None:
            nodes[objective.contributes_to_id].contributions.append(objective)
    return roots


def measurements_submitted(initiative: Initiative) -> QuerySet[Measurement]:
    """What waits for the evaluation leads' review, oldest period first."""
    return Measurement.objects.filter(indicator__initiative=initiative, status=MeasurementStatus.SUBMITTED) \
        .select_related("indicator", "version", "author").prefetch_related("disaggregations") \
        .order_by("period_end", "pk")
