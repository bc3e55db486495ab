"""Versioned definitions: a change of meaning writes a new version with its reason; figures keep theirs."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import RestrictedError

from catalyse.evaluation import services
from catalyse.evaluation.models import Indicator, IndicatorVersion, Measure, Measurement, ReasonCategory

from .conftest import approved, make_indicator

pytestmark = pytest.mark.django_db
D = dt.date
REASON = {"reason_category": ReasonCategory.CONTEXT, "reason_text": "La commune a fermé le second site."}


def test_an_indicator_starts_at_version_one_with_its_targets_sorted_by_date(initiative):
    indicator = make_indicator(initiative)
    version = indicator.versions.get()
    assert (indicator.current_version, version.number) == (1, 1)
    assert [t["date"] for t in version.targets] == ["2024-01-11", "2024-01-31"]


@pytest.mark.parametrize(("fields", "field"), [
    ({"computation": "  "}, "computation"),
    ({"targets": []}, "targets"),
    ({"targets": [{"date": "2024-12-31", "value": "N/A"}]}, "targets"),
    ({"baseline_date": None}, "baseline_date"),  # a value without its date
    ({"baseline_value": None}, "baseline_value"),  # a date without its value
    ({"measure": Measure.SCALE, "scale_levels": ["un seul"], "baseline_value": 1,
      "targets": [{"date": "2024-12-31", "value": 1}]}, "scale_levels"),
    ({"measure": Measure.SCALE, "scale_levels": ["bas", "haut"], "baseline_value": 1,
      "targets": [{"date": "2024-12-31", "value": 3}]}, "targets"),  # beyond the scale
])
def test_an_incomplete_definition_is_refused(initiative, fields, field):
    with pytest.raises(ValidationError) as error:
        make_indicator(initiative, **fields)
    assert field in error.value.message_dict


def test_changing_the_targets_without_a_reason_is_refused_and_changes_nothing(initiative):
    indicator = make_indicator(initiative)
    with pytest.raises(ValidationError) as error:
        services.indicator_update(indicator, targets=[{"date": "2024-12-31", "value": 80}])
    assert "reason" in error.value.message_dict
    indicator.refresh_from_db()
    assert indicator.current_version == 1 and indicator.versions.count() == 1


@pytest.mark.parametrize("change", [
    {"definition": "Personnes accompagnées au moins deux fois."},
    {"computation": "Fichier des inscriptions, doublons retirés."},
    {"direction": "decrease"},
    {"cumulation": "cumulative"},
    {"baseline_value": 5},
    {"measure": Measure.SCALE, "scale_levels": ["bas", "moyen", "haut"], "baseline_value": 1,
     "targets": [{"date": "2024-12-31", "value": 3}]},
])
def test_each_part_of_the_definition_needs_a_reason(initiative, change):
    indicator = make_indicator(initiative)
    with pytest.raises(ValidationError):
        services.indicator_update(indicator, **change)
    services.indicator_update(indicator, **change, **REASON)
    assert indicator.current_version == 2


def test_a_new_version_keeps_its_reason_and_old_measurements_keep_their_version(initiative, member):
    indicator = make_indicator(initiative)
    before = services.measurement_create(indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 1, 5),
                                         value=4)
    services.indicator_update(indicator, targets=[{"date": "2024-12-31", "value": 80}], actor=member,
                              decided_on=D(2024, 2, 1), participants="Comité de pilotage", **REASON)
    after = services.measurement_create(indicator=indicator, period_start=D(2024, 2, 1), period_end=D(2024, 2, 5),
                                        value=6)
    before.refresh_from_db()
    assert (before.version.number, after.version.number) == (1, 2)
    version = IndicatorVersion.objects.get(indicator=indicator, number=2)
    assert (version.reason_category, version.decided_on, version.participants) == (
        ReasonCategory.CONTEXT, D(2024, 2, 1), "Comité de pilotage")
    assert version.definition == before.version.definition  # the rest of the definition carried over
    assert indicator.versions.get(number=1).targets[-1]["value"] == "50"


def test_sheet_fields_change_in_place_without_a_reason(initiative):
    indicator = make_indicator(initiative)
    services.indicator_update(indicator, name="Personnes suivies", key=True, unit="personnes")
    indicator.refresh_from_db()
    assert (indicator.name, indicator.key, indicator.current_version) == ("Personnes suivies", True, 1)


def test_the_same_targets_in_another_order_are_no_change(initiative):
    indicator = make_indicator(initiative)
    services.indicator_update(indicator, targets=[{"date": "2024-01-31", "value": "50.0"},
                                                  {"date": "2024-01-11", "value": 10}])
    assert indicator.versions.count() == 1


def test_an_unknown_reason_category_is_refused(initiative):
    indicator = make_indicator(initiative)
    with pytest.raises(ValidationError):
        services.indicator_update(indicator, direction="decrease", reason_category="whim", reason_text="Parce que.")


def test_a_version_with_measurements_stays_but_an_initiative_or_indicator_goes_with_everything(initiative):
    indicator = make_indicator(initiative)
    approved(indicator, D(2024, 1, 10), value=4)
    with pytest.raises(RestrictedError):  # the figures would lose the definition they were taken under
        indicator.versions.get().delete()

    initiative.delete()
    assert not Indicator.objects.exists() and not IndicatorVersion.objects.exists()
    assert not Measurement.objects.exists()
