"""The evaluation's charts, drawn by the one renderer (core/charts.py): each comes with its data table.

`indicator_progress_chart` follows the progress rules of queries.py: the actual line is, at each date where an
approved measurement ends, the actual value `indicator_progress` would give on that date (the latest value, or
the running sum for cumulative indicators); the expected line runs through the baseline and the dated targets of
the definition in force, flat before and after them; the final target is a reference line; each later version
of the definition is a vertical rule "v2 : motif" at the date it was decided.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from catalyse.core.charts import Chart, Reference, Rule, TimeSeries, bar_chart, time_chart

from .models import Cumulation, Direction, Indicator, IndicatorVersion, Measure, Measurement, MeasurementStatus
from .queries import expected_at


def _value(measurement: Measurement) -> Decimal:
    return measurement.value if measurement.value is not None else Decimal(measurement.level)


def actual_points(measurements, cumulation: str) -> list[tuple[date, Decimal]]:
    """(date, actual at that date) for approved measurements sorted by (period_end, period_start, pk)."""
    points: dict[date, Decimal] = {}
    running = Decimal(0)
    for measurement in measurements:
        if cumulation == Cumulation.CUMULATIVE:
            running += _value(measurement)
            points[measurement.period_end] = running
        else:
            points[measurement.period_end] = _value(measurement)  # the latest of the day wins, as in progress
    return list(points.items())


def _unit(indicator: Indicator, version: IndicatorVersion) -> str:
    if version.measure == Measure.PERCENTAGE:
        return "%"
    return "" if version.measure == Measure.SCALE else indicator.unit


def indicator_progress_chart(indicator: Indicator, *, on: date | None = None, versions=None,
                             measurements=None) -> Chart:
    """Actual approved values against the target line up to `on` (today by default). `versions` and
    `measurements` (the approved ones) may be given when already fetched, to spare queries on dashboards."""
    on = on or timezone.localdate()
    versions = sorted(versions if versions is not None else indicator.versions.all(), key=lambda v: v.number)
    version = next(v for v in versions if v.number == indicator.current_version)
    if measurements is None:
        measurements = indicator.measurements.filter(status=MeasurementStatus.APPROVED)
    approved = sorted((m for m in measurements if m.status == MeasurementStatus.APPROVED and m.period_end <= on),
                      key=lambda m: (m.period_end, m.period_start, m.pk))
    actual = actual_points(approved, version.cumulation)
    plan_days = {date.fromisoformat(t["date"]) for t in version.targets}
    if version.baseline_date is not None:
        plan_days.add(version.baseline_date)
    # The expected line at every date of the table, so that each row reads actual beside expected; a straight
    # segment between two of these dates is exactly the interpolation of queries.expected_at.
    expected = [(day, expected_at(version, day)) for day in sorted(plan_days | {d for d, _ in actual})]
    rules = [Rule(v.decided_on or v.created_at.date(),
                  f"v{v.number} : {v.get_reason_category_display() or _('nouvelle définition')}")
             for v in versions if v.number > 1]
    final = Decimal(version.targets[-1]["value"])
    arrow = "↑" if version.direction == Direction.INCREASE else "↓"
    note = _("Sens souhaité : %(direction)s %(arrow)s") % {
        "direction": version.get_direction_display().lower(), "arrow": arrow}
    return time_chart(
        indicator.name,
        [TimeSeries(_("Valeur réelle (validée)"), actual), TimeSeries(_("Trajectoire attendue"), expected,
                                                                      dashed=True)],
        rules=rules, references=[Reference(final, _("Cible finale"))],
        levels=version.scale_levels if version.measure == Measure.SCALE else (),
        unit=_unit(indicator, version), note=note, date_label=_("Date"))


def disaggregation_chart(indicator: Indicator, period_end: date, parts) -> Chart:
    """One measurement's parts (`parts`: (dimension, category, value) rows), grouped by dimension."""
    grouped: dict[str, list] = defaultdict(list)
    for dimension, category, value in parts:
        grouped[dimension].append((category, float(value)))
    data = [(f"{dimension} : {category}", value) for dimension, pairs in grouped.items() for category, value in pairs]
    title = _("%(name)s : ventilation au %(end)s") % {"name": indicator.name, "end": period_end.strftime("%d/%m/%Y")}
    return bar_chart(title, data, unit=indicator.unit, value_label=indicator.unit or _("Valeur"))
