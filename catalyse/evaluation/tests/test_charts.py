"""The progress chart: its table carries the numbers of the progress rules, and the chart marks what matters."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from catalyse.evaluation import services
from catalyse.evaluation.charts import disaggregation_chart, indicator_progress_chart
from catalyse.evaluation.models import Cumulation, Direction, Measure, ReasonCategory
from catalyse.evaluation.queries import indicator_progress

from .conftest import approved, make_indicator

pytestmark = pytest.mark.django_db
D = dt.date
SVG = "{http://www.w3.org/2000/svg}"


def texts(chart) -> str:
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - our own output
    return " ".join(t for el in root.iter() for t in (el.text, el.tail) if t)


def table(chart) -> dict:
    return {row[0]: row[1:] for row in chart.rows}


def test_the_table_gives_actual_and_expected_at_each_date_as_progress_computes_them(initiative):
    indicator = make_indicator(initiative, cumulation=Cumulation.CUMULATIVE, unit="personnes")
    approved(indicator, D(2024, 1, 6), value=4)
    approved(indicator, D(2024, 1, 21), value=30)
    services.measurement_create(indicator=indicator, period_start=D(2024, 1, 25), period_end=D(2024, 1, 25),
                                value=99)  # a draft: not drawn
    chart = indicator_progress_chart(indicator, on=D(2024, 3, 1))
    rows = table(chart)
    assert chart.columns == ["Date", "Valeur réelle (validée)", "Trajectoire attendue", "Repère"]
    # baseline 0 on 01/01, targets 10 on 11/01 and 50 on 31/01; actual 4 then 4 + 30 (cumulative)
    assert rows["01/01/2024"][:2] == ["—", "0 personnes"]
    assert rows["06/01/2024"][:2] == ["4 personnes", "5 personnes"]
    assert rows["21/01/2024"][:2] == ["34 personnes", "30 personnes"]
    assert rows["31/01/2024"][:2] == ["—", "50 personnes"]
    assert "25/01/2024" not in rows
    assert rows["Cible finale"][-1] == "50 personnes"
    progress = indicator_progress(indicator, D(2024, 1, 21))
    assert (progress.actual, progress.expected) == (34, 30)


def test_only_measurements_ended_by_the_date_are_drawn(initiative):
    indicator = make_indicator(initiative)
    approved(indicator, D(2024, 1, 6), value=4)
    approved(indicator, D(2024, 1, 21), value=27)
    rows = table(indicator_progress_chart(indicator, on=D(2024, 1, 10)))
    assert rows["06/01/2024"][0] == "4" and "21/01/2024" not in rows


def test_a_new_version_is_a_labelled_rule_at_its_decision_date(initiative):
    indicator = make_indicator(initiative)
    approved(indicator, D(2024, 1, 6), value=4)
    services.indicator_update(indicator, targets=[{"date": "2024-01-31", "value": 40}],
                              reason_category=ReasonCategory.BUDGET, reason_text="Budget réduit de moitié.",
                              decided_on=D(2024, 1, 15))
    chart = indicator_progress_chart(indicator, on=D(2024, 3, 1))
    assert table(chart)["15/01/2024"][-1] == "v2 : Budget"
    assert "v2 : Budget" in texts(chart) and 'class="chart-rule"' in str(chart.svg)
    # the target line is the definition in force: 40 at the end
    assert table(chart)["Cible finale"][-1] == "40"


def test_a_decreasing_indicator_says_so_and_its_line_goes_down(initiative):
    indicator = make_indicator(initiative, direction=Direction.DECREASE, baseline_value=100,
                               targets=[{"date": "2024-01-31", "value": 40}])
    approved(indicator, D(2024, 1, 16), value=80)
    chart = indicator_progress_chart(indicator, on=D(2024, 3, 1))
    assert "Sens souhaité : à la baisse ↓" in texts(chart) and "à la baisse" in chart.description
    assert table(chart)["16/01/2024"][:2] == ["80", "70"]


def test_a_scale_indicator_reads_in_its_level_labels(initiative):
    indicator = make_indicator(initiative, measure=Measure.SCALE, unit="",
                               scale_levels=["Aucune", "Ponctuelle", "Régulière", "Instituée"], baseline_value=1,
                               targets=[{"date": "2024-01-31", "value": 4}])
    approved(indicator, D(2024, 1, 21), level=3)
    chart = indicator_progress_chart(indicator, on=D(2024, 3, 1))
    assert table(chart)["21/01/2024"][0] == "3 — Régulière"
    assert table(chart)["Cible finale"][-1] == "4 — Instituée"
    assert "Instituée" in texts(chart)


def test_percentages_show_a_percent_sign(initiative):
    indicator = make_indicator(initiative, measure=Measure.PERCENTAGE, targets=[{"date": "2024-01-31", "value": 60}])
    approved(indicator, D(2024, 1, 21), value="12.5")
    assert table(indicator_progress_chart(indicator, on=D(2024, 3, 1)))["21/01/2024"][0] == "12,5 %"


def test_without_approved_values_the_chart_still_shows_the_target_line(initiative):
    chart = indicator_progress_chart(make_indicator(initiative), on=D(2024, 3, 1))
    assert table(chart)["31/01/2024"] == ["50", ""] and chart.columns[1] == "Trajectoire attendue"


def test_disaggregations_of_the_latest_approved_measurement_are_charted(initiative):
    from catalyse.evaluation.dashboards import latest_disaggregations
    from catalyse.evaluation.models import Measurement

    indicator = make_indicator(initiative)
    parts = [{"dimension": "genre", "category": "femmes", "value": 18},
             {"dimension": "genre", "category": "hommes", "value": 12}]
    older = services.measurement_create(indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 1, 10),
                                        value=10, disaggregations=[parts[0] | {"value": 4}])
    measurement = services.measurement_create(indicator=indicator, period_start=D(2024, 1, 1),
                                              period_end=D(2024, 1, 20), value=30, disaggregations=parts)
    services.measurement_create(indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 1, 25),
                                value=30, disaggregations=[parts[0] | {"value": 99}])  # a draft
    for m in (older, measurement):
        services.measurement_submit(m)
        services.measurement_approve(m)
    latest = latest_disaggregations(Measurement.objects.filter(status="approved").values_list("pk", flat=True))
    assert latest[indicator.pk][0] == D(2024, 1, 20)
    chart = disaggregation_chart(indicator, *latest[indicator.pk])
    assert chart.rows == [["genre : femmes", "18"], ["genre : hommes", "12"]]
