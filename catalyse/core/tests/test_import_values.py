"""Value parsers shared by importers."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalyse.core.imports import RowError, clean_email, clean_website, parse_date, parse_number


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_read_the_same_with_a_decimal_comma_or_point(number):
    assert parse_number(repr(number)) == number
    assert parse_number(repr(number).replace(".", ",")) == number


def test_an_empty_number_is_none_and_text_is_refused():
    assert parse_number("  ") is None
    with pytest.raises(ValueError):
        parse_number("cinquante")


@pytest.mark.parametrize(("text", "date"), [
    ("2016-01-09", dt.date(2016, 1, 9)), ("2016-01-09 10:00:00", dt.date(2016, 1, 9)),
    ("09/01/2016", dt.date(2016, 1, 9)), ("0001-01-01", None), ("", None),
])
def test_dates_are_read_in_iso_or_french_form(text, date):
    assert parse_date(text) == date


def test_an_unreadable_date_refuses_the_row():
    with pytest.raises(RowError, match="Date illisible"):
        parse_date("31/02/2020")


def test_websites_get_a_scheme_and_bad_ones_are_refused():
    assert clean_website("exemple.org") == "http://exemple.org"
    assert clean_website("https://exemple.org/a") == "https://exemple.org/a"
    with pytest.raises(RowError):
        clean_website("pas un site")
    with pytest.raises(RowError):
        clean_email("pas@")
