"""The one import framework: streaming reader → row validation → batched upsert → error report.

An importer is a subclass of `Importer` that says how to read its file (`rows`), how to turn one raw row
into something to write (`clean`, raising `RowError` for a refused row, returning None for a row the
user's filters leave out) and how to write a batch (`write`, which upserts and returns the counts).
`import_execute(run, importer, path)` does the rest, the same way for every format:

- the file is read as a stream (one batch in memory at a time), its text encoding detected on a sample;
- every batch is written in its own transaction; if the database refuses the batch, its rows are retried
  one by one so that one bad row never costs the good ones;
- in a dry run `write` computes what would change and writes nothing;
- problems go to a CSV report (line, column, reason, consequence) written as the rows are read, saved on the
  `ImportRun` at the end; the first ones are also kept on the run for the result page;
- progress (rows read / estimated total) and counts are saved after every batch for the progress bar.

An app offers its importers to the generic upload pages and to `import_start` by registering an
`ImportKind` from its `AppConfig.ready()` (organisations: `catalyse.actors.importers`). Value parsers shared by
importers (dates, numbers with a decimal comma, websites, emails) and the bounded XLSX reader live here too.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from xml.parsers import expat

from charset_normalizer import from_bytes
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ImportRun, ImportStatus

if TYPE_CHECKING:
    from .forms_import import ImportForm, MappingForm

SAMPLE_BYTES = 256 * 1024
ERROR_SAMPLE_SIZE = 50
PROGRESS_EVERY = 20_000  # rows read
SQLITE_CACHE_KB = 64 * 1024
REPORT_HEADER = ["ligne", "colonne", "motif", "conséquence"]
# Western encodings only: on a French sample, the detector otherwise sometimes prefers exotic code pages.
CANDIDATE_ENCODINGS = ["cp1252", "iso8859_15", "latin_1"]

MB = 1024 * 1024
# Workbooks are zips: a few kilobytes can expand to gigabytes. What a real template needs, and no more:
XLSX_MAX_CELL_CHARS = 32_767  # the longest cell Excel and LibreOffice write
XLSX_MAX_PART_BYTES = 64 * MB  # one decompressed part (a sheet, the shared strings), XML included
XLSX_MAX_TOTAL_BYTES = 128 * MB  # every part together
XLSX_READ_CHUNK = 64 * 1024

csv.field_size_limit(10 * MB)  # RNA "objet" fields can be long; the default limit is 128 kB


class ImportFailed(Exception):
    """The whole file is unusable (unknown format, missing columns): nothing is imported."""


class RowError(Exception):
    """One row is refused: `column` names the faulty column ("" for the whole row)."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


@dataclass
class Issue:
    line: int
    column: str
    reason: str
    rejected: bool = True  # False: the value was ignored but the row was imported

    def as_row(self) -> list:
        return [self.line, self.column, self.reason, _("ligne refusée") if self.rejected else _("valeur ignorée")]


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    issues: list[Issue] = field(default_factory=list)


@dataclass
class Cleaned:
    """What `clean` returns: the data to write plus the non-fatal problems found in the row."""

    line: int
    data: Any
    warnings: list[Issue] = field(default_factory=list)


class Importer:
    """Base class of every importer. Subclasses set `kind` and `format` and implement `clean` and `write`."""

    kind = ""
    format = ""
    label = ""  # the format as the upload page names it
    spreadsheet = False  # True: an XLSX workbook (first sheet); False: a CSV text file
    # The largest upload the page accepts for this format: sized to the format, not to the server.
    max_upload_bytes = 64 * MB
    batch_size = 1000

    def __init__(self, options: dict | None = None, *, created_by=None):
        self.options = options or {}
        self.created_by = created_by

    # --- reading -----------------------------------------------------------------------------------
    def rows(self, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, {column: value}) for every data row of the CSV file (delimiter sniffed) or workbook."""
        if self.spreadsheet:
            yield from xlsx_rows(path)
            return
        with open_text(path) as text:
            yield from csv_rows(text, required=self.required_columns, delimiter=self.delimiter,
                                quotes_only_if_header_quoted=self.quotes_only_if_header_quoted)

    delimiter: str | None = None  # None: sniffed from the header line
    # Registers exported without quoting contain values that start with a stray double quote
    # (`"LES AMIS` …); read as quoting, one would swallow the following lines.
    quotes_only_if_header_quoted = False
    required_columns: tuple[str, ...] = ()

    def count_rows(self, path: Path) -> int:
        """An estimate of the number of data rows, read cheaply before the import for the progress bar."""
        return xlsx_count(path) if self.spreadsheet else max(0, count_lines(path) - 1)

    # --- validating and writing ---------------------------------------------------------------------
    def clean(self, line: int, row: dict[str, str]) -> Cleaned | None:
        raise NotImplementedError

    def write(self, batch: list[Cleaned], *, dry_run: bool) -> BatchResult:
        raise NotImplementedError

    def finish(self, *, dry_run: bool) -> None:
        """Once, in its own transaction, after the last batch of a run that did not fail: work on what the whole
        file wrote (the observatory aggregates its values here once, not after every batch)."""


# --- text files ---------------------------------------------------------------------------------------
def detect_encoding(sample: bytes) -> str:
    """The encoding of a file from its first bytes: UTF-8 (with or without BOM) when it decodes, otherwise
    charset-normalizer's best Western guess, otherwise Windows-1252 (what French spreadsheets write)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # A sample may end in the middle of a multi-byte character: the incremental decoder tolerates it.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample, cp_isolation=CANDIDATE_ENCODINGS).best()
    return best.encoding if best is not None else "cp1252"


def open_text(path: Path) -> TextIO:
    raw = open(path, "rb")  # noqa: SIM115 (wrapped and returned)
    encoding = detect_encoding(raw.read(SAMPLE_BYTES))
    raw.seek(0)
    # errors="replace": a stray byte in a mostly-readable file should cost one character, not the import.
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t", "|")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def normalise_header(name: str) -> str:
    return name.strip().strip("\ufeff").strip()


def csv_rows(text: TextIO, *, required: Iterable[str] = (), delimiter: str | None = None,
             quotes_only_if_header_quoted: bool = False) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV text stream as dicts, with the line where each row starts (the header is line 1)."""
    header_line = text.readline()
    if not header_line.strip():
        raise ImportFailed(_("Le fichier est vide."))
    delimiter = delimiter or sniff_delimiter(header_line)
    header = [normalise_header(h) for h in next(csv.reader([header_line], delimiter=delimiter))]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFailed(_("Colonnes manquantes : %(cols)s. Colonnes trouvées : %(found)s.")
                           % {"cols": ", ".join(missing), "found": ", ".join(header[:40])})
    quoted = not quotes_only_if_header_quoted or header_line.lstrip("\ufeff").startswith('"')
    width = len(header)
    rows = _numbered(csv.reader(text, delimiter=delimiter)) if quoted else _lines_either_way(text, delimiter, width)
    for start, values in rows:
        if not values or (len(values) == 1 and not values[0].strip()):
            continue
        if len(values) != width:
            # Too few or too many fields: columns would be shifted, so the row cannot be trusted.
            yield start, {"__malformed__": _("%(n)d champs au lieu de %(w)d") % {"n": len(values), "w": width}}
            continue
        yield start, dict(zip(header, values, strict=True))


def _numbered(reader) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, values) of a csv.reader that started after the header."""
    last = 1
    for values in reader:
        start, last = last + 1, reader.line_num + 1
        yield start, values


def _lines_either_way(text: TextIO, delimiter: str, width: int) -> Iterator[tuple[int, list[str]]]:
    """One row per line, read without quoting (a stray `"` at the start of a value is kept as text); a line
    that then has the wrong number of fields is read again with quoting, so that a quoted value containing
    the delimiter (`"DUPONT; FILS"`) counts once. The row is refused only when neither reading fits."""
    for number, line in enumerate(text, start=2):
        values = next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
        if len(values) != width:
            quoted = next(csv.reader([line], delimiter=delimiter), [])
            values = quoted if len(quoted) == width else values
        yield number, values


def count_lines(path: Path) -> int:
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(1024 * 1024):
            n += chunk.count(b"\n")
    return n


# --- workbooks -----------------------------------------------------------------------------------------
def xlsx_check(path: Path) -> None:
    """Refuse (ImportFailed) a workbook that would expand beyond the XLSX_MAX_* bounds, before any of it is
    loaded: the parts' sizes are read from the zip directory, then every XML part is streamed through expat
    in small chunks, counting the length of each text, so that memory stays flat whatever the file says.

    The zip directory's sizes are claims, but Python's zip reader never yields more than the size claimed
    (and fails on the checksum if the data was longer), so they bound what openpyxl can read afterwards."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if sum(part.file_size for part in parts) > XLSX_MAX_TOTAL_BYTES:
                raise ImportFailed(_("Classeur refusé : une fois décompressé, il dépasserait %(mb)d Mo.")
                                   % {"mb": XLSX_MAX_TOTAL_BYTES // MB})
            for part in parts:
                if part.file_size > XLSX_MAX_PART_BYTES:
                    raise ImportFailed(_("Classeur refusé : une partie du classeur (%(part)s) dépasserait %(mb)d Mo "
                                         "une fois décompressée.")
                                       % {"part": part.filename[:80], "mb": XLSX_MAX_PART_BYTES // MB})
                if part.filename.endswith(".xml"):
                    _xlsx_check_texts(archive, part)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, expat.ExpatError, OSError, EOFError) as exc:
        raise ImportFailed(_("Classeur XLSX illisible : %(e)s") % {"e": str(exc)[:200]}) from None


def _xlsx_check_texts(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    length = 0

    def reset(*_args) -> None:
        nonlocal length
        length = 0

    def text(data: str) -> None:
        nonlocal length
        length += len(data)
        if length > XLSX_MAX_CELL_CHARS:
            raise ImportFailed(_("Classeur refusé : une cellule dépasse %(n)s caractères, la limite des tableurs.")
                               % {"n": f"{XLSX_MAX_CELL_CHARS:,}".replace(",", " ")})

    def doctype(*_args) -> None:
        # OOXML parts never declare one; a declaration could define entities that expand exponentially.
        raise ImportFailed(_("Classeur refusé : déclaration DOCTYPE interdite."))

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = parser.EndElementHandler = reset
    parser.CharacterDataHandler = text
    with archive.open(part) as stream:
        while chunk := stream.read(XLSX_READ_CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of the first sheet of a workbook as text, read in streaming mode (openpyxl read-only) once
    `xlsx_check` has bounded what it can expand to."""
    from openpyxl import load_workbook

    xlsx_check(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not XLSX
        raise ImportFailed(_("Classeur XLSX illisible : %(e)s") % {"e": str(exc)[:200]}) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [_xlsx_text(h).strip() for h in next(rows, ())]
        if not any(header):
            raise ImportFailed(_("Le fichier est vide."))
        for line, values in enumerate(rows, start=2):
            cells = [_xlsx_text(v) for v in values]
            if any(c.strip() for c in cells):
                yield line, {h: c for h, c in zip(header, cells, strict=False) if h}
    finally:
        workbook.close()


def xlsx_count(path: Path) -> int:
    """The number of data rows the first sheet declares (0 for a file the import will refuse)."""
    from openpyxl import load_workbook

    try:
        xlsx_check(path)
        workbook = load_workbook(path, read_only=True)
        count = max(0, (workbook.worksheets[0].max_row or 1) - 1)
        workbook.close()
        return count
    except Exception:  # the import itself reports an unreadable or refused file
        return 0


# --- values ---------------------------------------------------------------------------------------------
_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


def parse_date(value: str) -> dt.date | None:
    """ISO (2016-01-09, with or without a time) or French (09/01/2016) dates; the RNA's 0001-01-01 is none."""
    value = (value or "").strip()[:10]
    if not value:
        return None
    try:
        if "/" in value:
            day, month, year = value.split("/")
            parsed = dt.date(int(year), int(month), int(day))
        else:
            parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise RowError("", _("Date illisible : « %(v)s » (attendu AAAA-MM-JJ ou JJ/MM/AAAA).") % {"v": value}) from None
    return None if parsed.year < 1800 else parsed


def parse_number(value: str) -> float | None:
    """A decimal number written the French way (2,7886) or the English way (2.7886); None if empty.
    Raises ValueError for anything else."""
    value = (value or "").strip()
    return float(value.replace(",", ".")) if value else None


def clean_website(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not re.match(r"^https?://", value, re.IGNORECASE):
        value = "http://" + value.removeprefix("//")
    try:
        _url(value)
    except ValidationError:
        raise RowError("", _("Adresse de site web invalide.")) from None
    return value[:200]


def clean_email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        _email(value)
    except ValidationError:
        raise RowError("", _("Adresse électronique invalide.")) from None
    return value[:254]


# --- writing --------------------------------------------------------------------------------------------
# Types whose Python values both database drivers take as they are.
_PLAIN_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "URLField", "BooleanField", "FloatField",
                "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
                "BigIntegerField", "PositiveBigIntegerField", "ForeignKey", "FileField", "ImageField"}


_MISSING = object()


def bulk_insert(model: type[Model], rows: list[dict[str, Any]], *, returning_ids: bool = False) -> list[int]:
    """INSERT rows given as {attname: value} with one executemany, without building model instances; with
    `returning_ids`, return the new primary keys in the order of `rows` (without another query per row).

    Django's bulk_create prepares every value of every field through the ORM and, on SQLite, splits the
    insert into statements of 32 rows: most of an import's time. Missing fields take their default,
    auto_now / auto_now_add fields the current time. Values must be valid already (the importer checked).
    """
    if not rows:
        return []
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults, adapters = [], []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            adapt = connection.ops.adapt_datetimefield_value
        elif kind == "DateField":
            adapt = connection.ops.adapt_datefield_value
        elif kind in _PLAIN_TYPES:
            adapt = None
        elif kind == "DecimalField":
            # Both drivers take a Decimal as it is (Django registers it with sqlite3); the field's own preparation
            # (to_python, quantize) cost more than the rest of an evaluation import's insert.
            adapt = lambda value, f=f: value if isinstance(value, Decimal) else f.get_db_prep_save(  # noqa: E731
                value, connection)
        else:
            adapt = lambda value, f=f: f.get_db_prep_save(value, connection)  # noqa: E731
        default = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        adapters.append(adapt)
        defaults.append(default if adapt is None or default is None else adapt(default))  # adapted once
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), model._meta.pk
    columns = list(zip([f.attname for f in fields], adapters, defaults, strict=True))
    if all(adapt is None for adapt in adapters):  # plain values (most tables): no per-value test
        plain = [(name, default) for name, _adapt, default in columns]
        params = [[row.get(name, default) for name, default in plain] for row in rows]
    else:
        params = [
            [default if (value := row.get(name, _MISSING)) is _MISSING
             else value if adapt is None or value is None else adapt(value)
             for name, adapt, default in columns]
            for row in rows
        ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids: list[int] = []
            if returning_ids:
                # COPY returns nothing: the ids are taken from the table's sequence first (one query) and
                # written with the rows, rather than looked up afterwards.
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                               [model._meta.db_table, pk.column, len(rows)])
                ids = [i for (i,) in cursor.fetchall()]
                fields.insert(0, pk)
                params = [[i, *row] for i, row in zip(ids, params, strict=True)]
            # COPY streams the rows in one command: about a third less server time per row than INSERTs.
            columns_sql = ", ".join(quote(f.column) for f in fields)
            with cursor.cursor.copy(f"COPY {table} ({columns_sql}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            return ids
        # Only quoted names from the model's metadata are interpolated; every value is a parameter.
        cursor.executemany(f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
                           f"VALUES ({', '.join(['%s'] * len(fields))})", params)
        if not returning_ids:
            return []
        # The batch runs in one transaction that holds SQLite's only write lock, and an AUTOINCREMENT key
        # takes the next number at each insert: the rows got the consecutive ids that end at the last one.
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
        return list(range(last - len(rows) + 1, last + 1))


# --- running ------------------------------------------------------------------------------------------
class _Report:
    """Problems streamed to a temporary CSV file (constant memory), the first few also kept in memory."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="")  # noqa: SIM115
        self.writer = csv.writer(self.file, delimiter=";")
        self.writer.writerow(REPORT_HEADER)
        self.sample: list[dict] = []
        self.count = 0

    def add(self, issue: Issue) -> None:
        self.count += 1
        self.writer.writerow(issue.as_row())
        if len(self.sample) < ERROR_SAMPLE_SIZE:
            self.sample.append({"line": issue.line, "column": issue.column, "reason": issue.reason,
                                "rejected": issue.rejected})


def import_execute(run: ImportRun, importer: Importer, path: Path) -> ImportRun:
    """Run `importer` over the file at `path`, recording everything on `run`. Never raises for bad data:
    a failed run has status FAILED and a message."""
    if connection.vendor == "sqlite":
        # SQLite's default page cache (2 MB) is far smaller than the indexes a national import updates;
        # 64 MB saves most of the page reads. Connection-wide, harmless for what runs next.
        connection.cursor().execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
        # Checkpoint the WAL every ~40 MB rather than every 4 MB: an import rewrites the same index pages batch
        # after batch, and each checkpoint writes and syncs them again. Durability is unchanged.
        connection.cursor().execute("PRAGMA wal_autocheckpoint = 10000")
    run.status, run.started_at = ImportStatus.RUNNING, timezone.now()
    run.rows_total = importer.count_rows(path)
    run.save()
    report = _Report()
    try:
        batch: list[Cleaned] = []
        for line, row in importer.rows(path):
            run.rows_done += 1
            cleaned = _clean(importer, line, row, run, report)
            if cleaned is not None:
                batch.append(cleaned)
            # Also every so many rows read: with selective filters (SIRENE) batches fill slowly, and the
            # progress bar must still move.
            if len(batch) >= importer.batch_size or run.rows_done % PROGRESS_EVERY == 0:
                _flush(importer, batch, run, report)
                batch = []
        _flush(importer, batch, run, report)
        with _batch_transaction():
            importer.finish(dry_run=run.dry_run)
        run.status = ImportStatus.DONE
    except ImportFailed as exc:
        run.status, run.message = ImportStatus.FAILED, str(exc)
    except (OSError, UnicodeError, csv.Error) as exc:
        run.status, run.message = ImportStatus.FAILED, _("Fichier illisible : %(e)s") % {"e": exc}
    except Exception:
        # A bug, not bad data: record the failure (so the progress bar stops) and let it be reported.
        run.status, run.message, run.finished_at = ImportStatus.FAILED, _("Erreur interne pendant l'import."), \
            timezone.now()
        run.save()
        raise
    run.finished_at = timezone.now()
    run.error_sample = report.sample
    if report.count:
        report.file.seek(0)
        run.error_report.save(f"import-{run.pk}-erreurs.csv", File(report.file), save=False)
    report.file.close()
    run.save()
    return run


def _clean(importer: Importer, line: int, row: dict, run: ImportRun, report: _Report) -> Cleaned | None:
    if "__malformed__" in row:
        run.errors += 1
        report.add(Issue(line, "", _("Ligne mal formée : %(why)s.") % {"why": row["__malformed__"]}))
        return None
    try:
        cleaned = importer.clean(line, row)
    except RowError as exc:
        run.errors += 1
        report.add(Issue(line, exc.column, exc.reason))
        return None
    if cleaned is None:
        run.skipped += 1
    return cleaned


@contextmanager
def _batch_transaction() -> Iterator[None]:
    """The transaction of one batch. On PostgreSQL its commit does not wait for the write-ahead log to reach
    the disk (`synchronous_commit = off`, for this transaction only): a crash can then lose the last batches
    committed, but never leave a half-written one, and an import is idempotent, so running the file again
    restores them. The final save of the run waits as usual, which also flushes every batch before it:
    once a run says it is done, its rows are on disk."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        yield


def _flush(importer: Importer, batch: list[Cleaned], run: ImportRun, report: _Report) -> None:
    if batch:
        try:
            with _batch_transaction():
                results = [importer.write(batch, dry_run=run.dry_run)]
        except DatabaseError:
            # Something in the batch broke a constraint the importer did not foresee: isolate it.
            results = [_write_one(importer, cleaned, run.dry_run) for cleaned in batch]
        for cleaned in batch:
            for warning in cleaned.warnings:
                run.warnings += 1
                report.add(warning)
        for result in results:
            run.created += result.created
            run.updated += result.updated
            run.unchanged += result.unchanged
            for issue in result.issues:
                run.errors += issue.rejected
                run.warnings += not issue.rejected
                report.add(issue)
    with _batch_transaction():
        ImportRun.objects.filter(pk=run.pk).update(
            rows_done=run.rows_done, created=run.created, updated=run.updated, unchanged=run.unchanged,
            skipped=run.skipped, errors=run.errors, warnings=run.warnings,
        )


def _write_one(importer: Importer, cleaned: Cleaned, dry_run: bool) -> BatchResult:
    try:
        with _batch_transaction():
            return importer.write([cleaned], dry_run=dry_run)
    except DatabaseError as exc:
        return BatchResult(issues=[Issue(cleaned.line, "", _("Refusée par la base de données : %(e)s")
                                         % {"e": str(exc).splitlines()[0][:200]})])


# --- what apps offer to import ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportKind:
    """What an app offers to import through the generic pages (`core.urls_import.import_urlpatterns`).

    The pages are served under the app's URL namespace; the upload page renders `upload_template` (which
    extends `core/import.html` to describe the formats) and the result page `detail_template`."""

    name: str  # ImportRun.kind, e.g. "organisations"
    title: str  # the upload page's title
    importers: dict[str, type[Importer]]  # format → importer, in the order the page offers them
    form: type[ImportForm]  # the upload form: `core.forms_import.ImportForm` plus the kind's options
    parent: tuple[str, str]  # (label, URL name) of the page the import pages hang under
    upload_template: str = "core/import.html"
    detail_template: str = "core/import_detail.html"
    # The downloadable model file: its rows (header first) and its columns' documentation (column, alias, text).
    template_rows: Callable[[], list[list[str]]] | None = None
    template_columns: list[tuple[str, str, str]] = field(default_factory=list)
    # With a mapping form, an upload first shows a preview of the file and the mapping to confirm
    # (`core.import_preview`); the run starts only then.
    mapping_form: type[MappingForm] | None = None
    preview_template: str = "core/import_preview.html"


IMPORT_KINDS: dict[str, ImportKind] = {}


def register_import(kind: ImportKind) -> ImportKind:
    IMPORT_KINDS[kind.name] = kind
    return kind


def import_run(run: ImportRun, path: Path | None = None) -> ImportRun:
    """Run the import recorded in `run` (kind, format and options) over `path`, or over its uploaded file."""
    importer = IMPORT_KINDS[run.kind].importers[run.format](run.options, created_by=run.created_by)
    return import_execute(run, importer, Path(path or run.upload.path))


@task()
def import_task(run_id: int) -> None:
    """Background version of `import_run` for the upload pages (worker: `catalyse db_worker`).
    The uploaded file is deleted afterwards: the run keeps its name, counts and error report."""
    run = import_run(ImportRun.objects.select_related("created_by").get(pk=run_id))
    run.upload.delete(save=True)


def import_start(*, kind: str, format: str, upload, created_by, dry_run: bool = False,
                 options: dict | None = None) -> ImportRun:
    """Record an uploaded file and queue its import (run inline in development, by the worker in production)."""
    run = ImportRun(kind=kind, format=format, file_name=upload.name[:255], dry_run=dry_run, options=options or {},
                    created_by=created_by)
    run.upload.save(f"{format}-{timezone.now():%Y%m%d%H%M%S}-{Path(upload.name).name}"[:200], upload, save=False)
    run.save()
    import_task.enqueue(run.pk)
    return run
