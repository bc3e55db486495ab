"""The import of measurements (CSV or XLSX) into one initiative's evaluation, on the one import framework
(`catalyse.core.imports`).

A row names its indicator (`indicateur_id`, or the indicator's name in `indicateur`), its period (`debut`,
`fin`), a `valeur` (numbers, percentages) or a `niveau` (scales: the level's number or label), an optional
`commentaire` and its disaggregations — in one `desagregations` cell written like the export
(« genre / femmes : 12 | genre / hommes : 9 ») and/or in columns named `ventilation:<dimension>:<catégorie>`.
The measurements export (`exports.MEASUREMENT_COLUMNS`) is therefore a valid import file: its other columns
(identifier, version, status, review note) are ignored.

Every row goes through the same rules as the forms and the API (`services.measurement_values_clean`, the
initiative's locked periods); rows are written in bulk. A row is matched to an existing measurement by
indicator and period: a draft (or returned) one is updated, a submitted or approved one is never overwritten
(the row is reported unless it says the same thing), otherwise a draft is created under the indicator's
current definition, authored by the person importing. Running the same file again changes nothing.

Only the initiative's contributors (`permissions.can_contribute`) import into it: the upload page checks it,
and so does the run itself (it may run later, in the task worker).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalyse.accounts.audit import Action, audit_record
from catalyse.core.exports import FORMULA_START, LIST_SEPARATOR
from catalyse.core.forms_import import ImportForm
from catalyse.core.imports import (
    MB,
    BatchResult,
    Cleaned,
    Importer,
    ImportFailed,
    ImportKind,
    Issue,
    RowError,
    bulk_insert,
    parse_date,
    register_import,
)
from catalyse.core.text import fold
from catalyse.initiatives.models import Initiative

from .models import Disaggregation, Indicator, IndicatorVersion, Measure, Measurement, MeasurementStatus
from .permissions import can_contribute
from .services import locked_until_of, measurement_values_clean, periods_check_open

KIND = "measurements"
DISAGGREGATION_PREFIX = "ventilation:"
# Canonical column → the headers accepted for it (the export's names first, then English ones).
COLUMNS: dict[str, tuple[str, ...]] = {
    "indicateur_id": ("indicateur_id", "indicator_id", "indicator"),
    "indicateur": ("indicateur", "indicator_name"),
    "debut": ("debut", "début", "period_start"),
    "fin": ("fin", "period_end"),
    "valeur": ("valeur", "value"),
    "niveau": ("niveau", "level"),
    "commentaire": ("commentaire", "comment"),
    "desagregations": ("desagregations", "désagrégations", "disaggregations"),
}
FIELD_COLUMN = {"period_start": "debut", "period_end": "fin", "value": "valeur", "level": "niveau",
                "disaggregations": "desagregations"}
EDITABLE = {MeasurementStatus.DRAFT, MeasurementStatus.RETURNED}
TEMPLATE_COLUMNS = [
    ("indicateur_id", "indicator_id", gettext_lazy("Identifiant de l'indicateur (colonne « indicateur_id » de "
                                                   "l'export des mesures et du cadre) ; ou bien :")),
    ("indicateur", "indicator_name", gettext_lazy("Nom exact de l'indicateur dans cette initiative.")),
    ("debut", "period_start", gettext_lazy("Début de la période (AAAA-MM-JJ ou JJ/MM/AAAA), obligatoire.")),
    ("fin", "period_end", gettext_lazy("Fin de la période, obligatoire, pas avant le début.")),
    ("valeur", "value", gettext_lazy("Indicateurs chiffrés : un nombre (virgule ou point décimal). « N/A » ou "
                                     "un texte est refusé : laissez la ligne de côté.")),
    ("niveau", "level", gettext_lazy("Indicateurs à échelle : le numéro du niveau (1 à n) ou son libellé.")),
    ("commentaire", "comment", gettext_lazy("Commentaire, facultatif.")),
    ("desagregations", "disaggregations", gettext_lazy("Ventilations comme dans l'export : « genre / femmes : 12 "
                                                       "| genre / hommes : 9 ».")),
    ("ventilation:genre:femmes", "", gettext_lazy("Ou une colonne par ventilation, nommée « ventilation:"
                                                  "<dimension>:<catégorie> », la valeur dans la cellule.")),
]


@dataclass
class MeasurementRow:
    indicator_id: int
    period_start: date
    period_end: date
    value: Decimal | None
    level: int | None
    comment: str | None  # None: the file has no comment column, an existing comment stays
    parts: list[tuple[str, str, Decimal]] | None = field(default=None)  # None: no disaggregation column


_SPACES = re.compile(r"[\s\u00a0\u202f]")


def _text(value: str | None) -> str:
    """A cell as text, without the apostrophe our exports put before what a spreadsheet would run as a formula."""
    value = (value or "").strip()
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_START and len(value) > 1 else value


def _decimal(value: str, column: str) -> Decimal:
    """A number written the French way (1 234,5) or the English way (1234.5)."""
    text = value.replace(",", ".") if "," in value and "." not in value else value
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    try:
        return Decimal(_SPACES.sub("", text))
    except InvalidOperation:
        raise RowError(column, _("« %(value)s » n'est pas un nombre.") % {"value": value[:40]}) from None


class MeasurementImporter(Importer):
    kind = KIND
    format = "csv"
    label = gettext_lazy("CSV (modèle, ou export des mesures)")
    max_upload_bytes = 64 * MB
    batch_size = 2000

    def __init__(self, options: dict | None = None, *, created_by=None):
        super().__init__(options, created_by=created_by)
        self.initiative: Initiative | None = None
        self.seen: dict[tuple[int, date, date], int] = {}  # (indicator, start, end) → first line
        self.headers: dict[str, str] | None = None  # canonical column → the file's header
        self.split_columns: list[tuple[str, str, str]] = []  # (header, dimension, category) of ventilation:…

    # --- what the initiative holds, read once per run -------------------------------------------------------------
    def rows(self, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
        self._load()
        yield from super().rows(path)

    def _load(self) -> None:
        self.initiative = Initiative.objects.filter(pk=self.options.get("initiative")).first()
        if self.initiative is None:
            raise ImportFailed(_("L'initiative de cet import n'existe plus."))
        if self.created_by is None or not can_contribute(self.created_by, self.initiative):
            raise ImportFailed(_("Seuls les partenaires de l'initiative importent ses mesures."))
        indicators = list(Indicator.objects.filter(initiative=self.initiative).only("pk", "name", "current_version"))
        self.versions = {v.pk: v for v in IndicatorVersion.objects.filter(indicator__in=[i.pk for i in indicators])}
        by_number = {(v.indicator_id, v.number): v for v in self.versions.values()}
        self.current = {i.pk: by_number[(i.pk, i.current_version)] for i in indicators
                        if (i.pk, i.current_version) in by_number}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for indicator in indicators:
            self.by_name[fold(indicator.name).strip()].append(indicator.pk)
        self.locked_until = locked_until_of(self.initiative.pk)

    # --- one row ---------------------------------------------------------------------------------------------------
    def _headers(self, row: dict[str, str]) -> dict[str, str]:
        found = {fold(name).strip(): name for name in row}
        return {canonical: found[fold(alias)] for canonical, aliases in COLUMNS.items() for alias in reversed(aliases)
                if fold(alias) in found}

    def clean(self, line: int, row: dict[str, str]) -> Cleaned | None:
        if self.headers is None:
            self.headers = self._headers(row)
            if "indicateur_id" not in self.headers and "indicateur" not in self.headers:
                raise ImportFailed(_("Colonne « indicateur_id » ou « indicateur » manquante."))
            if not {"debut", "fin"} <= self.headers.keys():
                raise ImportFailed(_("Colonnes « debut » et « fin » obligatoires."))
            for header in row:
                if header.lower().startswith(DISAGGREGATION_PREFIX):
                    dimension, _sep, category = header[len(DISAGGREGATION_PREFIX):].partition(":")
                    self.split_columns.append((header, dimension, category))
        head = self.headers
        cells = {column: _text(row.get(header)) for column, header in head.items()}
        get = lambda column: cells.get(column, "")  # noqa: E731
        indicator_id = self._indicator(get("indicateur_id"), get("indicateur"))
        version = self.current[indicator_id]
        start = self._date(get("debut"), "debut")
        end = self._date(get("fin"), "fin")
        value_text, level_text = get("valeur"), get("niveau")
        value = _decimal(value_text, head["valeur"]) if value_text else None
        level = self._level(level_text, version) if level_text else None
        try:
            value, parts = measurement_values_clean(version, period_start=start, period_end=end, value=value,
                                                    level=level, disaggregations=self._parts(row))
            periods_check_open(self.locked_until, end)
        except ValidationError as exc:
            raise self._row_error(exc) from None
        key = (indicator_id, start, end)
        if key in self.seen:
            raise RowError("", _("Même indicateur et même période qu'à la ligne %(line)s.") % {"line": self.seen[key]})
        self.seen[key] = line
        has_parts = "desagregations" in head or self.split_columns
        return Cleaned(line, MeasurementRow(indicator_id, start, end, value, level,
                                            get("commentaire") if "commentaire" in head else None,
                                            parts if has_parts else None))

    def _indicator(self, reference: str, name: str) -> int:
        column = self.headers.get("indicateur_id", "indicateur_id")
        if reference:
            if reference.isdigit() and int(reference) in self.current:
                return int(reference)
            if not reference.isdigit():  # the English "indicator" column may hold a name
                name = reference
            else:
                raise RowError(column, _("L'indicateur %(ref)s n'est pas un indicateur de cette initiative.")
                               % {"ref": reference[:20]})
        if not name:
            raise RowError(column, _("Indicateur manquant (son identifiant ou son nom)."))
        matches = [pk for pk in self.by_name.get(fold(name).strip(), []) if pk in self.current]
        if len(matches) != 1:
            reason = (_("Plusieurs indicateurs s'appellent « %(name)s » : donnez l'identifiant.") if matches
                      else _("Aucun indicateur de cette initiative ne s'appelle « %(name)s »."))
            raise RowError(self.headers.get("indicateur", "indicateur"), reason % {"name": name[:80]})
        return matches[0]

    def _date(self, value: str, column: str) -> date:
        try:
            day = parse_date(value)
        except RowError as exc:
            raise RowError(self.headers.get(column, column), exc.reason) from None
        if day is None:
            raise RowError(self.headers.get(column, column), _("Date manquante."))
        return day

    def _level(self, text: str, version: IndicatorVersion) -> int:
        if text.isdigit():
            return int(text)
        labels = [fold(str(label)).strip() for label in version.scale_levels or []]
        if version.measure == Measure.SCALE and fold(text).strip() in labels:
            return labels.index(fold(text).strip()) + 1
        raise RowError(self.headers.get("niveau", "niveau"),
                       _("« %(value)s » n'est pas un niveau : son numéro ou son libellé.") % {"value": text[:40]})

    def _parts(self, row: dict[str, str]) -> list[dict[str, Any]]:
        parts = []
        column = self.headers.get("desagregations")
        for item in (_text(row.get(column, "")) if column else "").split(LIST_SEPARATOR.strip()):
            if not item.strip():
                continue
            label, _sep, value = item.rpartition(":")
            dimension, _sep, category = label.partition("/")
            if not (dimension.strip() and category.strip()):
                raise RowError(column, _("Ventilation illisible : « %(v)s » (attendu « dimension / catégorie : "
                                         "valeur »).") % {"v": item.strip()[:60]})
            parts.append({"dimension": dimension, "category": category,
                          "value": _decimal(value.strip(), column)})
        for header, dimension, category in self.split_columns:
            if cell := _text(row.get(header)):
                parts.append({"dimension": dimension, "category": category, "value": _decimal(cell, header)})
        return parts

    def _row_error(self, exc: ValidationError) -> RowError:
        if hasattr(exc, "error_dict"):
            name, messages = next(iter(exc.message_dict.items()))
            column = FIELD_COLUMN.get(name, "")
            return RowError(self.headers.get(column, column), " ".join(messages))
        return RowError(self.headers.get("fin", "fin"), " ".join(exc.messages))

    # --- a batch ---------------------------------------------------------------------------------------------------
    def write(self, batch: list[Cleaned], *, dry_run: bool) -> BatchResult:
        result = BatchResult()
        rows = [c.data for c in batch]
        existing = self._existing(rows)
        parts_of = defaultdict(set)
        if existing:
            matched = {m["pk"] for m in existing.values()}
            for measurement_id, dimension, category, value in Disaggregation.objects.filter(
                    self._near(rows, "measurement__")).values_list("measurement_id", "dimension", "category", "value"):
                if measurement_id in matched:
                    parts_of[measurement_id].add((dimension, category, value))
        new: list[Cleaned] = []
        changed: list[tuple[dict, MeasurementRow]] = []
        for cleaned in batch:
            row: MeasurementRow = cleaned.data
            old = existing.get((row.indicator_id, row.period_start, row.period_end))
            if old is None:
                new.append(cleaned)
                continue
            # What the file does not say (no comment or disaggregation column) stays as it is.
            row.comment = old["comment"] if row.comment is None else row.comment
            row.parts = sorted(parts_of[old["pk"]]) if row.parts is None else row.parts
            if (old["value"], old["level"], old["comment"], parts_of[old["pk"]]) == (
                    row.value, row.level, row.comment, set(row.parts)):
                result.unchanged += 1
            elif old["status"] not in EDITABLE:
                result.issues.append(Issue(cleaned.line, "", _("Une mesure %(status)s existe pour cette période : "
                                                                "l'import ne la modifie pas.")
                                           % {"status": MeasurementStatus(old["status"]).label.lower()}))
            elif (issue := self._recheck(cleaned, old)) is not None:
                result.issues.append(issue)
            else:
                changed.append((old, row))
        result.created, result.updated = len(new), len(changed)
        if not dry_run and (new or changed):
            created_ids = self._create([c.data for c in new])
            self._update(changed)
            audit_record(Action.UPDATE, obj=self.initiative, actor=self.created_by, changes={
                "mesures_importées": {"créées": created_ids, "modifiées": [old["pk"] for old, _row in changed]}})
        return result

    def _existing(self, rows: list[MeasurementRow]) -> dict[tuple[int, date, date], dict]:
        """The measurements already recorded for these (indicator, period)s; when several share one, the first
        editable one (then the first one)."""
        wanted = {(r.indicator_id, r.period_start, r.period_end) for r in rows}
        found: dict[tuple[int, date, date], dict] = {}
        for m in Measurement.objects.filter(self._near(rows)).order_by("pk").values(
                "pk", "indicator_id", "version_id", "period_start", "period_end", "value", "level", "comment",
                "status"):
            key = (m["indicator_id"], m["period_start"], m["period_end"])
            if key in wanted and (key not in found or (found[key]["status"] not in EDITABLE
                                                       and m["status"] in EDITABLE)):
                found[key] = m
        return found

    @staticmethod
    def _near(rows: list[MeasurementRow], prefix: str = "") -> Q:
        """The measurements of the batch's indicators ending within its periods: a superset of those it names,
        asked without one parameter per row (compiling thousands of them cost more than the query)."""
        return Q(**{f"{prefix}indicator_id__in": {r.indicator_id for r in rows},
                    f"{prefix}period_end__range": (min(r.period_end for r in rows), max(r.period_end for r in rows))})

    def _recheck(self, cleaned: Cleaned, old: dict) -> Issue | None:
        """A draft taken under an older definition keeps it: the row must also be valid under that one."""
        row: MeasurementRow = cleaned.data
        if old["version_id"] == self.current[row.indicator_id].pk:
            return None
        try:
            measurement_values_clean(self.versions[old["version_id"]], period_start=row.period_start,
                                     period_end=row.period_end, value=row.value, level=row.level)
        except ValidationError as exc:
            error = self._row_error(exc)
            return Issue(cleaned.line, error.column, error.reason)
        return None

    def _create(self, rows: list[MeasurementRow]) -> list[int]:
        author = self.created_by.pk
        ids = bulk_insert(Measurement, [
            {"indicator_id": r.indicator_id, "version_id": self.current[r.indicator_id].pk,
             "period_start": r.period_start, "period_end": r.period_end, "value": r.value, "level": r.level,
             "comment": r.comment or "", "status": MeasurementStatus.DRAFT, "author_id": author} for r in rows
        ], returning_ids=True)
        bulk_insert(Disaggregation, [
            {"measurement_id": pk, "dimension": dimension, "category": category, "value": value}
            for pk, r in zip(ids, rows, strict=True) for dimension, category, value in r.parts or []
        ])
        return ids

    def _update(self, changed: list[tuple[dict, MeasurementRow]]) -> None:
        if not changed:
            return
        now = timezone.now()
        Measurement.objects.bulk_update([
            Measurement(pk=old["pk"], value=row.value, level=row.level, comment=row.comment, updated_at=now)
            for old, row in changed], ["value", "level", "comment", "updated_at"])
        Disaggregation.objects.filter(measurement__in=[old["pk"] for old, _row in changed]).delete()
        bulk_insert(Disaggregation, [
            {"measurement_id": old["pk"], "dimension": dimension, "category": category, "value": value}
            for old, row in changed for dimension, category, value in row.parts
        ])


class XlsxMeasurementImporter(MeasurementImporter):
    format = "xlsx"
    label = gettext_lazy("XLSX (Excel, LibreOffice : première feuille)")
    spreadsheet = True
    max_upload_bytes = 16 * MB  # XML compresses about tenfold: more would be refused once decompressed anyway


IMPORTERS: dict[str, type[MeasurementImporter]] = {"csv": MeasurementImporter, "xlsx": XlsxMeasurementImporter}

register_import(ImportKind(
    name=KIND,
    title=gettext_lazy("Importer des mesures"),
    importers=IMPORTERS,
    form=ImportForm,
    parent=(gettext_lazy("Initiatives"), "initiatives:list"),
    upload_template="evaluation/import.html",
    detail_template="evaluation/import_detail.html",
    template_columns=TEMPLATE_COLUMNS,
))
