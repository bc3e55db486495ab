"""The one export framework: an export is a stream of objects plus a list of columns; writers turn it into
CSV, XLSX, JSON, GeoJSON, schema.org JSON-LD and GoGoCarto JSON, always streaming (constant memory).

Apps declare an `Export` and `register()` it (organisations: `catalyse.actors.exports`); the open-data
catalogue page (`/donnees/`) documents every registered export field by field, and
`export_response()` serves any of them in any format it supports.

Format choices, documented on `/donnees/`:
- CSV: UTF-8 with a byte-order mark (so that spreadsheet software detects the encoding), comma-separated,
  RFC 4180 quoting; several values in one cell are joined by " | ". Text cells that a spreadsheet would run
  as a formula are prefixed with an apostrophe (see `neutralise_formula`).
- XLSX: one sheet, header row, same cell contents as the CSV (formulas are never written).
- JSON: an array of objects keyed by the column names; several values are arrays.
- GeoJSON (RFC 7946): a FeatureCollection of points, only rows that have a position.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils.safestring import SafeString, mark_safe

LICENCE = "Licence Ouverte / Etalab 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LIST_SEPARATOR = " | "
# What makes a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a formula: = + - @ and, because
# some of them skip leading tabs and line breaks before looking, those too (OWASP's list, plus the line feed).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Column:
    name: str  # CSV header and JSON key: stable, documented, never translated
    description: str  # shown on the open-data catalogue page
    value: Callable[[Any], Any]  # object -> str | int | float | bool | date | list | None
    example: str = ""


@dataclass(frozen=True)
class Export:
    slug: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[HttpRequest], Iterable[Any]]  # what this request may see, filtered by its query string
    url_name: str  # URL pattern taking a `fmt` argument
    point: Callable[[Any], tuple[float, float] | None] | None = None  # (latitude, longitude)
    jsonld: Callable[[Any, HttpRequest], dict] | None = None  # one schema.org item
    gogocarto: Callable[[Any, HttpRequest], dict] | None = None  # one GoGoCarto element
    notes: list[str] = field(default_factory=list)

    @property
    def formats(self) -> list[str]:
        optional = {"geojson": self.point, "jsonld": self.jsonld, "gogocarto": self.gogocarto}
        return [fmt for fmt in FORMATS if optional.get(fmt, True) is not None]


REGISTRY: dict[str, Export] = {}


def register(export: Export) -> Export:
    REGISTRY[export.slug] = export
    return export


# ---- cell values -------------------------------------------------------------------------------------------

def neutralise_formula(text: str) -> str:
    """`text` made safe for a spreadsheet cell: a text a spreadsheet would run as a formula is prefixed with an
    apostrophe, which spreadsheets show as text and do not display. The one rule of every CSV/XLSX we write."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO 8601, lists kept as lists."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> Any:
    """A spreadsheet-ready value: lists joined, dates as ISO text, formula-like text neutralised."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str):
        return neutralise_formula(value)
    return value


def record(columns: list[Column], obj: Any) -> dict[str, Any]:
    return {c.name: _plain(c.value(obj)) for c in columns}


def _dumps(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


# ---- writers (generators of text chunks) -------------------------------------------------------------------

def write_csv(columns: list[Column], rows: Iterable[Any]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    yield "\ufeff" + buffer.getvalue()
    for obj in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(c.value(obj)) for c in columns])
        yield buffer.getvalue()


def _json_array(items: Iterable[Any], *, head: str = "[", tail: str = "]") -> Iterator[str]:
    yield head
    separator = ""
    for item in items:
        yield separator + _dumps(item)
        separator = ",\n"
    yield tail


def write_json(columns: list[Column], rows: Iterable[Any]) -> Iterator[str]:
    return _json_array(record(columns, obj) for obj in rows)


def write_geojson(columns: list[Column], rows: Iterable[Any], point: Callable) -> Iterator[str]:
    def features():
        for obj in rows:
            if (position := point(obj)) is not None:
                latitude, longitude = position
                yield {"type": "Feature", "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                       "properties": record(columns, obj)}

    return _json_array(features(), head='{"type": "FeatureCollection", "features": [', tail="]}")


def write_jsonld(rows: Iterable[Any], to_item: Callable[[Any], dict], *, name: str) -> Iterator[str]:
    def items():
        for position, obj in enumerate(rows, start=1):
            item = to_item(obj)
            item.pop("@context", None)  # given once, at the top
            yield {"@type": "ListItem", "position": position, "item": item}

    head = (f'{{"@context": "https://schema.org", "@type": "ItemList", "name": {_dumps(name)}, '
            f'"license": {_dumps(LICENCE_URL)}, "itemListElement": [')
    return _json_array(items(), head=head, tail="]}")


def write_gogocarto(rows: Iterable[Any], to_element: Callable[[Any], dict]) -> Iterator[str]:
    # The shape GoGoCarto's own API serves and its JSON import reads: elements under "data".
    head = f'{{"licence": {_dumps(LICENCE_URL)}, "ontology": "gogofull", "data": ['
    return _json_array((to_element(obj) for obj in rows), head=head, tail="]}")


def write_xlsx(columns: list[Column], rows: Iterable[Any], *, title: str) -> io.BufferedRandom:
    """An XLSX file in a temporary file: openpyxl's write-only mode keeps memory flat whatever the size."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([c.name for c in columns])
    for obj in rows:
        cells = []
        for c in columns:
            value = _cell(c.value(obj))
            cell = WriteOnlyCell(sheet, value=_XLSX_ILLEGAL.sub("", value) if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
    output = tempfile.TemporaryFile()  # noqa: SIM115  (closed by FileResponse)
    workbook.save(output)
    output.seek(0)
    return output


FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"),
    "json": ("application/json", "JSON"),
    "geojson": ("application/geo+json", "GeoJSON"),
    "jsonld": ("application/ld+json", "schema.org JSON-LD"),
    "gogocarto": ("application/json", "GoGoCarto (JSON)"),
}
EXTENSIONS = {"gogocarto": "gogocarto.json"}


def export_response(export: Export, fmt: str, request: HttpRequest):
    """Serve `export` in `fmt` as a download, streamed from the database cursor."""
    content_type = FORMATS[fmt][0]
    filename = f"{export.slug}.{EXTENSIONS.get(fmt, fmt)}"
    rows = export.rows(request)
    if fmt == "xlsx":
        return FileResponse(write_xlsx(export.columns, rows, title=export.slug), as_attachment=True,
                            filename=filename, content_type=content_type)
    if fmt == "csv":
        chunks = write_csv(export.columns, rows)
    elif fmt == "json":
        chunks = write_json(export.columns, rows)
    elif fmt == "geojson":
        chunks = write_geojson(export.columns, rows, export.point)
    elif fmt == "jsonld":
        chunks = write_jsonld(rows, lambda obj: export.jsonld(obj, request), name=export.title)
    else:
        chunks = write_gogocarto(rows, lambda obj: export.gogocarto(obj, request))
    response = StreamingHttpResponse((chunk.encode() for chunk in chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: other maps may fetch it directly
    return response


_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script(data: dict) -> SafeString:
    """A `<script type="application/ld+json">` block; `<`, `>` and `&` are escaped so that no text in the data
    can close the script element (the same escaping as Django's json_script)."""
    payload = _dumps(data).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308
