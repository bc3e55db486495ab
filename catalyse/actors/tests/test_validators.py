"""SIREN, SIRET and RNA validators, checked on generated identifiers (hypothesis)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from catalyse.actors.validators import (
    LA_POSTE_HEAD_OFFICE,
    LA_POSTE_SIREN,
    is_valid_rna,
    is_valid_siren,
    is_valid_siret,
    luhn_valid,
    normalize_identifier,
    validate_latitude,
    validate_longitude,
    validate_rna,
    validate_siren,
    validate_siret,
)

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def with_luhn_key(body: str) -> str:
    """`body` followed by the one check digit that makes the whole number pass Luhn."""
    return next(body + key for key in "0123456789" if luhn_valid(body + key))


sirens = st.text(alphabet="0123456789", min_size=8, max_size=8).map(with_luhn_key)
sirets = st.text(alphabet="0123456789", min_size=13, max_size=13).filter(
    lambda body: not body.startswith(LA_POSTE_SIREN)).map(with_luhn_key)


def change_one_digit(number: str, position: int, digit: str) -> str:
    return number[:position] + digit + number[position + 1:]


@given(sirens)
def test_a_siren_with_a_correct_luhn_key_is_valid(siren):
    assert is_valid_siren(siren)
    validate_siren(siren)


@given(sirens, st.integers(min_value=0, max_value=8), digits)
def test_changing_one_digit_of_a_siren_makes_it_invalid(siren, position, digit):
    assume(siren[position] != digit)
    assert not is_valid_siren(change_one_digit(siren, position, digit))


@given(sirets)
def test_a_siret_with_a_correct_luhn_key_is_valid(siret):
    assert is_valid_siret(siret)


@given(sirets, st.integers(min_value=0, max_value=13), digits)
def test_changing_one_digit_of_a_siret_makes_it_invalid(siret, position, digit):
    assume(siret[position] != digit)
    changed = change_one_digit(siret, position, digit)
    assume(not changed.startswith(LA_POSTE_SIREN))
    assert not is_valid_siret(changed)


@given(st.text(alphabet="0123456789", min_size=5, max_size=5))
def test_la_poste_establishments_follow_the_sum_of_digits_rule(suffix):
    siret = LA_POSTE_SIREN + suffix
    assume(siret != LA_POSTE_HEAD_OFFICE)
    assert is_valid_siret(siret) == (sum(int(c) for c in siret) % 5 == 0)


def test_la_poste_head_office_follows_luhn():
    assert luhn_valid(LA_POSTE_HEAD_OFFICE) and sum(map(int, LA_POSTE_HEAD_OFFICE)) % 5 != 0
    assert is_valid_siret(LA_POSTE_HEAD_OFFICE)
    assert is_valid_siren(LA_POSTE_SIREN)


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=9, max_size=9))
def test_rna_is_w_followed_by_nine_characters(rest):
    assert is_valid_rna("W" + rest)


@given(st.text(min_size=0, max_size=12))
def test_rna_not_starting_with_w_and_nine_characters_is_refused(text):
    assume(not (len(text) == 10 and text[0] == "W" and text[1:].isalnum() and text[1:].isascii()
                and text[1:] == text[1:].upper()))
    assert not is_valid_rna(text)


@given(sirens, st.lists(st.sampled_from([" ", ".", "-", "  "]), min_size=8, max_size=8))
def test_separators_people_type_inside_identifiers_are_dropped(siren, separators):
    typed = "".join(d + s for d, s in zip(siren, separators, strict=False)) + siren[8:]
    assert normalize_identifier(typed) == siren


def test_normalising_uppercases_an_rna():
    assert normalize_identifier(" w751 234 567 ") == "W751234567"


@pytest.mark.parametrize("value", ["12345678", "1234567890", "12345678A", "732829321"])
def test_malformed_siren_is_refused_with_a_message(value):
    with pytest.raises(ValidationError, match="SIREN invalide"):
        validate_siren(value)


@pytest.mark.parametrize("value", ["7328293200007", "73282932000075", "7328293200007A"])
def test_malformed_siret_is_refused_with_a_message(value):
    with pytest.raises(ValidationError, match="SIRET invalide"):
        validate_siret(value)


def test_malformed_rna_is_refused_with_a_message():
    with pytest.raises(ValidationError, match="RNA invalide"):
        validate_rna("W12345678")


def test_empty_identifiers_are_allowed():
    validate_siren("")
    validate_siret("")
    validate_rna("")


@pytest.mark.parametrize("value", [-90, 0, 50.43, 90, None])
def test_latitudes_within_range_pass(value):
    validate_latitude(value)


@pytest.mark.parametrize("value", [-90.01, 90.01, 999, 1e308, float("inf"), float("nan")])
def test_latitudes_out_of_range_fail(value):
    with pytest.raises(ValidationError):
        validate_latitude(value)


@pytest.mark.parametrize("value", [-180.01, 180.01, 1e308, float("-inf"), float("nan")])
def test_longitudes_out_of_range_fail(value):
    with pytest.raises(ValidationError):
        validate_longitude(value)
    validate_longitude(180)
