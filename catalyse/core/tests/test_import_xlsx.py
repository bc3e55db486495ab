"""Workbooks are read with bounds: a small XLSX that expands to a huge cell, sheet or archive is refused
with a French message before it is loaded (issue #14, finding 12)."""

import tracemalloc
from pathlib import Path

import pytest

from catalyse.core import imports
from catalyse.core.imports import ImportFailed, xlsx_rows
from catalyse.core.tests.workbooks import crafted_workbook


def read_all(path: Path) -> list:
    return list(xlsx_rows(path))


def test_a_small_workbook_with_a_100_mb_cell_is_refused_before_it_is_loaded(tmp_path):
    path = crafted_workbook(tmp_path / "bombe.xlsx", cell_chars=100 * 1024 * 1024)
    assert path.stat().st_size < 200 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailed, match="Classeur refusé"):
            read_all(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_a_cell_longer_than_a_spreadsheet_allows_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match="32 767"):
        read_all(crafted_workbook(tmp_path / "longue.xlsx", cell_chars=32_768))


def test_a_cell_as_long_as_a_spreadsheet_allows_is_read(tmp_path):
    rows = read_all(crafted_workbook(tmp_path / "pleine.xlsx", cell_chars=32_767))
    assert rows == [(2, {"nom": "a" * 32_767})]


def test_a_sheet_that_expands_beyond_the_part_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "XLSX_MAX_PART_BYTES", 20_000)
    with pytest.raises(ImportFailed, match="partie du classeur"):
        read_all(crafted_workbook(tmp_path / "feuille.xlsx", cell_chars=10, rows=2_000))


def test_a_workbook_that_expands_beyond_the_total_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "XLSX_MAX_TOTAL_BYTES", 20_000)
    with pytest.raises(ImportFailed, match="décompressé"):
        read_all(crafted_workbook(tmp_path / "total.xlsx", cell_chars=10, rows=2_000))
