"""Progress against targets, each case computed by hand in its comment (see queries.py for the rules)."""

import datetime as dt
from decimal import Decimal

import pytest

from catalyse.evaluation import services
from catalyse.evaluation.models import Cumulation, Direction, Measure
from catalyse.evaluation.queries import Status, indicator_progress, too_many_indicators

from .conftest import approved, make_indicator

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(("on", "expected"), [
    (D(2023, 12, 1), 0),    # before the baseline: the baseline
    (D(2024, 1, 1), 0),     # on the baseline
    (D(2024, 1, 6), 5),     # 5 of 10 days from 0 towards 10
    (D(2024, 1, 11), 10),   # on the first target
    (D(2024, 1, 21), 30),   # 10 + 40 × 10/20 days
    (D(2024, 3, 1), 50),    # after the last target: the final target
])
def test_expected_value_follows_the_target_line_in_days(initiative, on, expected):
    assert indicator_progress(make_indicator(initiative), on).expected == expected


def test_without_an_approved_measurement_the_status_is_no_data(initiative):
    indicator = make_indicator(initiative)
    services.measurement_create(indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 1, 5), value=5)
    approved(indicator, D(2024, 1, 25), value=40)  # ends after `on`
    progress = indicator_progress(indicator, D(2024, 1, 21))
    assert (progress.actual, progress.progress, progress.status) == (None, None, Status.NO_DATA)
    assert progress.final_target == 50 and progress.baseline == 0


def test_without_cumulation_actual_is_the_latest_approved_value_and_drafts_do_not_count(initiative):
    indicator = make_indicator(initiative)
    approved(indicator, D(2024, 1, 5), value=4)
    approved(indicator, D(2024, 1, 20), value=27)
    services.measurement_submit(services.measurement_create(
        indicator=indicator, period_start=D(2024, 1, 20), period_end=D(2024, 1, 20), value=99))
    progress = indicator_progress(indicator, D(2024, 1, 21))
    # actual 27; expected 30: r = 27/30 = 0.9 → on track; progress 27/50
    assert progress.actual == 27 and progress.progress == Decimal("0.54")
    assert progress.status == Status.ON_TRACK


def test_cumulative_values_add_up(initiative):
    indicator = make_indicator(initiative, cumulation=Cumulation.CUMULATIVE)
    approved(indicator, D(2024, 1, 5), value=10)
    approved(indicator, D(2024, 1, 20), value=30)
    progress = indicator_progress(indicator, D(2024, 1, 21))
    # actual 10 + 30 = 40; expected 30: r = 1.33 → ahead; progress 40/50
    assert progress.actual == 40 and progress.progress == Decimal("0.8")
    assert progress.status == Status.AHEAD


def test_cumulative_latest_values_are_already_running_totals(initiative):
    indicator = make_indicator(initiative, cumulation=Cumulation.CUMULATIVE_LATEST)
    approved(indicator, D(2024, 1, 5), value=10)
    approved(indicator, D(2024, 1, 20), value=20)
    progress = indicator_progress(indicator, D(2024, 1, 21))
    # actual 20 (not 30); expected 30: r = 0.67 → behind
    assert progress.actual == 20 and progress.status == Status.BEHIND


@pytest.mark.parametrize(("value", "status"), [
    (80, Status.BEHIND),     # (80 − 100) / (75 − 100) = 0.8
    (76, Status.ON_TRACK),   # 24/25 = 0.96
    (70, Status.AHEAD),      # 30/25 = 1.2
    (110, Status.BEHIND),    # moved the wrong way: −0.4
])
def test_a_decreasing_indicator_needs_no_special_case(initiative, value, status):
    indicator = make_indicator(initiative, direction=Direction.DECREASE, baseline_value=100,
                               targets=[{"date": "2024-01-11", "value": 50}])
    approved(indicator, D(2024, 1, 5), value=value)
    progress = indicator_progress(indicator, D(2024, 1, 6))  # expected 100 − 50 × 5/10 = 75
    assert progress.expected == 75 and progress.status == status
    assert progress.progress == (Decimal(value) - 100) / -50


def test_the_15_percent_band_includes_its_bounds(initiative):
    indicator = make_indicator(initiative, targets=[{"date": "2024-01-11", "value": 100}])
    approved(indicator, D(2024, 1, 5), value="42.5")
    # expected on 2024-01-06: 50; r = 42.5/50 = 0.85 exactly → on track
    assert indicator_progress(indicator, D(2024, 1, 6)).status == Status.ON_TRACK
    approved(indicator, D(2024, 1, 6), value="57.5")  # r = 1.15 exactly
    assert indicator_progress(indicator, D(2024, 1, 6)).status == Status.ON_TRACK


def test_a_baseline_not_applicable_counts_as_zero_and_has_no_point_on_the_line(initiative):
    indicator = make_indicator(initiative, baseline_value=None, baseline_date=None,
                               targets=[{"date": "2024-06-30", "value": 100}, {"date": "2024-12-31", "value": 200}])
    approved(indicator, D(2024, 2, 1), value=5)
    before = indicator_progress(indicator, D(2024, 3, 1))
    # before the first target: expected = baseline 0; actual moved upwards → on track
    assert (before.baseline, before.expected, before.status) == (0, 0, Status.ON_TRACK)
    approved(indicator, D(2024, 9, 30), value=150)
    between = indicator_progress(indicator, D(2024, 9, 30))
    # 100 + 100 × 92/184 days = 150; progress 150/200
    assert between.expected == 150 and between.status == Status.ON_TRACK
    assert between.progress == Decimal("0.75")


@pytest.mark.parametrize(("direction", "value", "status"), [
    (Direction.INCREASE, 0, Status.ON_TRACK),   # stayed
    (Direction.INCREASE, -3, Status.BEHIND),    # moved down
    (Direction.DECREASE, -3, Status.ON_TRACK),  # moved down, as wished
    (Direction.DECREASE, 3, Status.BEHIND),
])
def test_when_expected_equals_baseline_the_direction_of_the_move_decides(initiative, direction, value, status):
    indicator = make_indicator(initiative, direction=direction,
                               targets=[{"date": "2024-12-31", "value": 10 if direction == "increase" else -10}])
    approved(indicator, D(2023, 12, 1), value=value)
    assert indicator_progress(indicator, D(2023, 12, 15)).status == status  # before the baseline date


def test_scale_indicators_interpolate_levels(initiative):
    indicator = make_indicator(initiative, measure=Measure.SCALE, scale_levels=["faible", "moyen", "fort", "très fort"],
                               baseline_value=1, targets=[{"date": "2024-01-31", "value": 4}])
    approved(indicator, D(2024, 1, 15), level=3)
    progress = indicator_progress(indicator, D(2024, 1, 16))
    # expected 1 + 3 × 15/30 = 2.5; r = (3 − 1)/(2.5 − 1) = 1.33 → ahead; progress 2/3
    assert progress.expected == Decimal("2.5") and progress.actual == 3
    assert progress.status == Status.AHEAD and round(progress.progress, 4) == Decimal("0.6667")


def test_a_final_target_equal_to_the_baseline_gives_no_progress_ratio(initiative):
    indicator = make_indicator(initiative, baseline_value=10, targets=[{"date": "2024-12-31", "value": 10}])
    approved(indicator, D(2024, 6, 1), value=12)
    progress = indicator_progress(indicator, D(2024, 7, 1))
    assert progress.progress is None and progress.status == Status.ON_TRACK


def test_more_than_five_active_indicators_raise_the_warning(initiative):
    for n in range(5):
        make_indicator(initiative, name=f"Indicateur {n}")
    inactive = make_indicator(initiative, name="Ancien", active=False)
    assert not too_many_indicators(initiative)
    services.indicator_update(inactive, active=True)
    assert too_many_indicators(initiative)


def test_late_collections_are_listed_by_owner_one_period_after_the_last_measured_one(initiative, org):
    from catalyse.evaluation.models import Frequency
    from catalyse.evaluation.queries import late_collections

    quarterly = make_indicator(initiative, name="Trimestriel", frequency=Frequency.QUARTERLY, owner=org)
    services.measurement_create(indicator=quarterly, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), value=3)
    yearly = make_indicator(initiative, name="Annuel", frequency=Frequency.YEARLY)  # never measured: from baseline
    make_indicator(initiative, name="Arrêté", frequency=Frequency.MONTHLY, active=False)
    assert late_collections(initiative, D(2024, 6, 30)) == {}  # due 2024-06-30 (31 March + 3 months)
    late = late_collections(initiative, D(2024, 7, 1))
    assert [(c.indicator, c.last_period_end, c.due) for c in late[org]] == [(quarterly, D(2024, 3, 31),
                                                                            D(2024, 6, 30))]
    assert None not in late
    late = late_collections(initiative, D(2025, 1, 2))
    assert [(c.indicator, c.due) for c in late[None]] == [(yearly, D(2025, 1, 1))]


def test_a_one_off_collection_is_due_at_its_first_target_and_then_done(initiative):
    from catalyse.evaluation.models import Frequency
    from catalyse.evaluation.queries import late_collections

    once = make_indicator(initiative, frequency=Frequency.ONCE)  # first target 2024-01-11
    assert late_collections(initiative, D(2024, 1, 11)) == {}
    assert [c.indicator for c in late_collections(initiative, D(2024, 1, 12))[None]] == [once]
    services.measurement_create(indicator=once, period_start=D(2024, 1, 1), period_end=D(2024, 1, 11), value=9)
    assert late_collections(initiative, D(2030, 1, 1)) == {}
