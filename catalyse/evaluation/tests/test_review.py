"""Measurements: numbers are numbers, scales take levels, and the review workflow with locked periods."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from catalyse.evaluation import services
from catalyse.evaluation.models import Measure, MeasurementStatus

from .conftest import make_indicator

pytestmark = pytest.mark.django_db
D = dt.date
END_OF_MARCH = D(2024, 3, 31)


def _draft(indicator, end=END_OF_MARCH, **fields):
    return services.measurement_create(indicator=indicator, period_start=D(2024, 1, 1), period_end=end,
                                       **({"value": 12} | fields))


@pytest.mark.parametrize(("fields", "field"), [
    ({"value": "N/A"}, "value"),
    ({"value": None}, "value"),
    ({"value": None, "level": 2}, "level"),
    ({"disaggregations": [{"dimension": "genre", "category": "femmes", "value": "beaucoup"}]}, "disaggregations"),
    ({"disaggregations": [{"dimension": "genre", "category": "femmes", "value": 1}] * 2}, "disaggregations"),
])
def test_a_measurement_of_a_number_needs_a_number(initiative, fields, field):
    with pytest.raises(ValidationError) as error:
        _draft(make_indicator(initiative), **fields)
    assert field in error.value.message_dict


def test_a_period_ends_after_it_starts(initiative):
    with pytest.raises(ValidationError):
        services.measurement_create(indicator=make_indicator(initiative), period_start=D(2024, 2, 1),
                                    period_end=D(2024, 1, 1), value=1)


def test_a_scale_measurement_takes_a_level_within_the_scale(initiative):
    indicator = make_indicator(initiative, measure=Measure.SCALE, scale_levels=["bas", "moyen", "haut"],
                               baseline_value=1, targets=[{"date": "2024-12-31", "value": 3}])
    assert _draft(indicator, value=None, level=3).level == 3
    for fields in ({"value": None, "level": 4}, {"value": None, "level": 0}, {"value": 2}):
        with pytest.raises(ValidationError):
            _draft(indicator, **fields)


def test_disaggregations_are_kept_with_their_measurement(initiative):
    measurement = _draft(make_indicator(initiative), disaggregations=[
        {"dimension": "genre", "category": "femmes", "value": 7}, {"dimension": "genre", "category": "hommes",
                                                                     "value": "5"}])
    assert [(d.category, d.value) for d in measurement.disaggregations.all()] == [("femmes", 7), ("hommes", 5)]


def test_a_measurement_goes_from_draft_to_submitted_to_approved(initiative):
    measurement = _draft(make_indicator(initiative))
    assert measurement.status == MeasurementStatus.DRAFT
    with pytest.raises(ValidationError):
        services.measurement_approve(measurement)  # not submitted yet
    services.measurement_submit(measurement)
    approved = services.measurement_approve(measurement)
    assert approved.status == MeasurementStatus.APPROVED
    with pytest.raises(ValidationError):
        services.measurement_update(approved, value=13)  # approved figures are final


def test_a_returned_measurement_carries_its_note_and_can_be_corrected_and_resubmitted(initiative, lead):
    measurement = services.measurement_submit(_draft(make_indicator(initiative)))
    with pytest.raises(ValidationError):
        services.measurement_return(measurement, reviewer=lead, note=" ")
    returned = services.measurement_return(measurement, reviewer=lead, note="Le chiffre de mars manque.")
    assert (returned.status, returned.review_note, returned.reviewed_by) == (
        MeasurementStatus.RETURNED, "Le chiffre de mars manque.", lead)
    corrected = services.measurement_update(returned, value=15)
    assert services.measurement_submit(corrected).status == MeasurementStatus.SUBMITTED
    assert services.measurement_approve(corrected, reviewer=lead).value == 15


def test_a_locked_period_refuses_new_measurements_changes_and_reviews(initiative):
    indicator = make_indicator(initiative)
    submitted = services.measurement_submit(_draft(indicator, end=D(2024, 3, 31)))
    draft = _draft(indicator, end=D(2024, 6, 30))
    services.framework_lock(initiative=initiative, until=D(2024, 3, 31))
    with pytest.raises(ValidationError):
        _draft(indicator, end=D(2024, 3, 31))
    with pytest.raises(ValidationError):
        services.measurement_approve(submitted)
    with pytest.raises(ValidationError):
        services.measurement_update(draft, period_end=D(2024, 2, 28))  # moved into the locked period
    assert _draft(indicator, end=D(2024, 4, 30)).status == MeasurementStatus.DRAFT  # after the lock: open
    services.framework_lock(initiative=initiative, until=None)
    assert services.measurement_approve(submitted).status == MeasurementStatus.APPROVED
