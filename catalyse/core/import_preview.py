"""The preview step of the import pages: before a run starts, show the first rows of the uploaded file as the
import will read them (encoding, separator, decimal mark) and let the person confirm or change how its
columns map to what is imported.

An import kind opts in by giving its `ImportKind` a `mapping_form` (a `core.forms_import.MappingForm`
subclass). The upload page then keeps the file aside (`stash_upload`, under MEDIA_ROOT/imports/previews/,
referenced from the session), shows `read_preview` and the mapping form, and starts the run with the upload
options plus the mapping form's options only once the mapping is confirmed. The run reads the whole file
with the same readers as without a preview (`imports.open_text`, `csv_rows`, `xlsx_rows`), so what the
preview shows is what the import reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from .imports import SAMPLE_BYTES, ImportFailed, detect_encoding, normalise_header, sniff_delimiter, xlsx_rows

PREVIEW_ROWS = 10
STASH_DIR = "imports/previews"
STASH_MAX_AGE = dt.timedelta(days=1)  # files whose preview was abandoned are removed after this
DELIMITER_NAMES = {";": "point-virgule (;)", ",": "virgule (,)", "\t": "tabulation", "|": "barre verticale (|)"}
_COMMA_DECIMAL = re.compile(r"^[-+]?\d[\d\s\u202f\xa0]*,\d+$")
_POINT_DECIMAL = re.compile(r"^[-+]?\d+\.\d+$")


@dataclass
class Preview:
    header: list[str]
    rows: list[list[str]]  # the first data rows, aligned with the header
    encoding: str = ""  # "" for a workbook
    delimiter: str = ""  # "" for a workbook
    decimal: str = ""  # "," or "." when the sample shows decimals, else ""
    error: str = ""  # why the file cannot be previewed (then header and rows are empty)
    facts: list[tuple[str, str]] = field(default_factory=list)  # what the kind's mapping form detected

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, self.delimiter)

    def column(self, name: str) -> list[str]:
        """The sample values of one column."""
        if name not in self.header:
            return []
        i = self.header.index(name)
        return [row[i] for row in self.rows if i < len(row)]


def read_preview(path: Path, *, spreadsheet: bool = False, rows: int = PREVIEW_ROWS) -> Preview:
    """The header and first rows of a CSV text file (encoding and separator detected as the import does) or of
    the first sheet of a workbook; a file that cannot be read gives a Preview with `error` set."""
    try:
        if spreadsheet:
            found = list(islice(xlsx_rows(path), rows))
            header = list(found[0][1]) if found else []
            preview = Preview(header, [[row.get(h, "") for h in header] for _, row in found])
        else:
            preview = _csv_preview(path, rows)
    except ImportFailed as exc:
        return Preview([], [], error=str(exc))
    except (OSError, UnicodeError, csv.Error) as exc:
        return Preview([], [], error=_("Fichier illisible : %(e)s") % {"e": exc})
    preview.decimal = detect_decimal(cell for row in preview.rows for cell in row)
    return preview


def _csv_preview(path: Path, rows: int) -> Preview:
    with open(path, "rb") as raw:
        encoding = detect_encoding(raw.read(SAMPLE_BYTES))
    with open(path, encoding=encoding, errors="replace", newline="") as text:
        header_line = text.readline()
        if not header_line.strip():
            raise ImportFailed(_("Le fichier est vide."))
        delimiter = sniff_delimiter(header_line)
        header = [normalise_header(h) for h in next(csv.reader([header_line], delimiter=delimiter))]
        sample = [values for values in islice(csv.reader(text, delimiter=delimiter), rows * 2) if any(values)]
    return Preview(header, sample[:rows], encoding=encoding, delimiter=delimiter)


def detect_decimal(cells) -> str:
    """"," when the sample writes decimals the French way, "." the English way, "" when it shows none."""
    comma = point = 0
    for cell in cells:
        cell = cell.strip()
        comma += bool(_COMMA_DECIMAL.match(cell))
        point += bool(_POINT_DECIMAL.match(cell))
    if not comma and not point:
        return ""
    return "," if comma >= point else "."


# --- the file kept aside between the upload and the confirmation ------------------------------------------
def stash_upload(upload) -> str:
    """Save the uploaded file for the preview step; returns its storage name. Older abandoned files go."""
    _remove_stale()
    return default_storage.save(f"{STASH_DIR}/{uuid.uuid4().hex}/{Path(upload.name).name}"[:250], upload)


def stash_path(name: str) -> Path:
    return Path(default_storage.path(name))


def drop_stash(name: str) -> None:
    default_storage.delete(name)


def _remove_stale() -> None:
    if not default_storage.exists(STASH_DIR):
        return
    limit = timezone.now() - STASH_MAX_AGE
    for folder in default_storage.listdir(STASH_DIR)[0]:
        for name in default_storage.listdir(f"{STASH_DIR}/{folder}")[1]:
            path = f"{STASH_DIR}/{folder}/{name}"
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
