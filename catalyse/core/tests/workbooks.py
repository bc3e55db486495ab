"""Crafted workbooks for the tests of bounded XLSX reading."""

import zipfile
from pathlib import Path

from openpyxl import Workbook

PLACEHOLDER = "TEXTE-A-REMPLACER"


def crafted_workbook(path: Path, *, cell_chars: int, rows: int = 1) -> Path:
    """A workbook with a "nom" column whose first value is `cell_chars` characters long, written in chunks so
    that the test itself never holds the whole cell in memory."""
    plain = path.with_suffix(".plain.xlsx")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["nom"])
    sheet.append([PLACEHOLDER])
    for n in range(rows - 1):
        sheet.append([f"Organisation {n}"])
    workbook.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if PLACEHOLDER.encode() not in data:
                target.writestr(info, data)
                continue
            before, after = data.split(PLACEHOLDER.encode())
            with target.open(info.filename, "w", force_zip64=True) as entry:
                entry.write(before)
                chunk = b"a" * (1024 * 1024)
                for _ in range(cell_chars // len(chunk)):
                    entry.write(chunk)
                entry.write(b"a" * (cell_chars % len(chunk)))
                entry.write(after)
    return path
