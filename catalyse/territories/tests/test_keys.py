"""`level:code`, the one form territories travel in, and the form field that reads it."""

import pytest
from django import forms
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from catalyse.territories.forms import TerritoryKeysField, TerritoryPickerMixin
from catalyse.territories.keys import parse_territory_key, territory_from_key, territory_key
from catalyse.territories.models import Kind, Level, Territory

codes = st.text(alphabet="0123456789ABab", min_size=1, max_size=9)


@given(st.sampled_from(Level.values), codes)
def test_a_key_reads_back_as_its_level_and_code(level, code):
    assert parse_territory_key(territory_key(level, code)) == (level, code.upper())


@pytest.mark.parametrize(("key", "parsed"), [
    ("departement:2a", ("departement", "2A")), (" Region:32 ", ("region", "32")), ("62528", ("commune", "62528")),
    ("canton:62", None), ("departement:", None), ("", None), ("region:32:1", None),
])
def test_keys_are_normalised_and_malformed_ones_refused(key, parsed):
    assert parse_territory_key(key) == parsed


def test_a_bare_code_needs_a_level_when_the_caller_asks_for_one():
    assert parse_territory_key("62528", default_level="") is None


@pytest.mark.django_db
def test_only_current_territories_are_found_by_key():
    assert territory_from_key("commune:62528").name == "Loos-en-Gohelle"
    current = Territory.objects.filter(kind=Kind.CURRENT, level=Level.COMMUNE).values("code")
    former = Territory.objects.exclude(kind=Kind.CURRENT).filter(level=Level.COMMUNE).exclude(code__in=current).first()
    assert former is not None and territory_from_key(territory_key(former.level, former.code)) is None


@pytest.mark.django_db
def test_the_form_field_cleans_keys_to_territories_and_shows_them_back_as_keys():
    field = TerritoryKeysField()
    territories = field.clean(["departement:62", "commune:62528", "departement:62"])
    assert [t.name for t in territories] == ["Pas-de-Calais", "Loos-en-Gohelle"]
    assert field.prepare_value(territories) == ["departement:62", "commune:62528"]
    with pytest.raises(forms.ValidationError, match="Territoire inconnu : commune:00000"):
        field.clean(["commune:00000"])


@pytest.mark.django_db
def test_a_territory_carries_its_own_key():
    assert Territory.objects.get(level=Level.DEPARTEMENT, code="2A", kind=Kind.CURRENT).key == "departement:2A"


class PickerForm(TerritoryPickerMixin, forms.Form):
    territories = TerritoryKeysField(required=False)


@pytest.mark.django_db
def test_the_picker_keeps_the_known_territories_when_a_posted_key_is_unknown():
    form = PickerForm(QueryDict("territories=departement:62&territories=commune:00000"))
    assert not form.is_valid()
    assert [t.key for t in form.chosen_territories()] == ["departement:62"]


@pytest.mark.django_db
def test_the_picker_shows_the_initial_territories_before_posting():
    loos = territory_from_key("commune:62528")
    assert PickerForm(initial={"territories": [loos]}).chosen_territories() == [loos]
