"""The export framework's generic parts: the one formula-neutralisation rule and the streaming writers."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from catalyse.core.exports import FORMULA_START, Column, neutralise_formula, write_csv, write_json, write_xlsx

TEXT_COLUMN = [Column("texte", "un texte", lambda value: value)]
# Texts that start like a formula half of the time, so that hypothesis explores both branches.
texts = st.one_of(st.text(), st.builds(str.__add__, st.sampled_from(FORMULA_START), st.text()))


@given(texts)
def test_no_neutralised_text_starts_like_a_formula(text):
    assert not neutralise_formula(text).startswith(FORMULA_START)


@given(texts)
def test_neutralising_only_prefixes_an_apostrophe_when_needed(text):
    expected = "'" + text if text[:1] and text[0] in FORMULA_START else text
    assert neutralise_formula(text) == expected


@given(st.lists(texts, min_size=1, max_size=5))
def test_no_csv_cell_starts_like_a_formula(values):
    written = "".join(write_csv(TEXT_COLUMN, values)).removeprefix("\ufeff")
    cells = [row[0] for row in csv.reader(io.StringIO(written, newline=""))][1:]
    assert len(cells) == len(values)
    assert not any(cell.startswith(FORMULA_START) for cell in cells)


def test_formula_led_by_a_tab_or_a_line_break_is_neutralised():
    assert neutralise_formula("\t=1+1") == "'\t=1+1"
    assert neutralise_formula("\n=1+1") == "'\n=1+1"
    assert neutralise_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_formula("Bonjour = salut") == "Bonjour = salut"


def test_xlsx_cells_are_text_never_formulas():
    sheet = load_workbook(write_xlsx(TEXT_COLUMN, ["=1+1"], title="essai")).active
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value == "'=1+1"


def test_json_keeps_values_as_they_are():
    assert "".join(write_json(TEXT_COLUMN, ["=1+1", ["a", "b"]])) == '[{"texte": "=1+1"},\n{"texte": ["a", "b"]}]'
