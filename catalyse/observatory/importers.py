"""Indicator values from the CSV layouts French territorial observatories publish, on the one import framework
(`catalyse.core.imports`).

Accepted layouts (separator `;` or `,`, decimal comma or point, UTF-8 or Windows-1252, sniffed/detected):
- a geography code column `codgeo` (any case; `code_insee`, `codgeo_2023`… too) and an optional `libgeo`;
- the year either in a column `an` (`annee`, `année`), or one column per year (`2019`, `2020`, `tx_2021`…),
  or given as the `year` option when the file has a single value column;
- the value column: the `column` option, else the only column left.
The upload page shows a preview and lets the person confirm or change this detection (`forms_import.
IndicatorMappingForm`); the confirmed layout comes as the `mapping` option and replaces the detection.
Markers `s` / `secret` mean statistical secrecy, `nd`, `NA`, `n/a`, `-`, `.` and an empty cell mean missing:
both are stored with no value and their status. At commune level, a code that is a former commune (delegated,
associated) or a municipal arrondissement of the referential is mapped to the current commune it belongs to.

Re-importing a file changes nothing (upsert on indicator, territory, year). Once the whole file is written, the
indicator's aggregates above the commune level are recomputed for the years that changed (`finish`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalyse.core.imports import (
    BatchResult,
    Cleaned,
    Importer,
    ImportFailed,
    ImportKind,
    Issue,
    RowError,
    bulk_insert,
    register_import,
)
from catalyse.territories.models import Kind, Level, Territory

from .aggregation import aggregate
from .forms_import import IndicatorImportForm
from .forms_mapping import IndicatorMappingForm
from .models import Aggregation, Indicator, IndicatorValue, ValueStatus
from .queries import VALUES_VERSION

CODE_COLUMNS = ("codgeo", "code_insee", "codeinsee", "code_commune", "insee", "code")
LABEL_COLUMNS = ("libgeo", "libelle", "nom")
YEAR_COLUMNS = ("an", "annee", "year")
YEAR_HEADER = re.compile(r"^(?:.*\D)?((?:19|20)\d{2})$")
SECRET = {"s", "secret", "c"}
MISSING = {"", "nd", "na", "n/a", "n.d.", "-", ".", "nc"}


def _key(header: str) -> str:
    folded = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode().lower().strip()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")


@dataclass
class Layout:
    code: str
    year: str | None  # the year column, or None
    values: dict[str, int | None]  # value column → its year (None: from the year column or the option)


def code_column(header: list[str]) -> str | None:
    keys = {_key(h): h for h in header}
    return next((keys[k] for k in keys if k in CODE_COLUMNS or k.startswith("codgeo")), None)


def is_label_column(header: str) -> bool:
    return _key(header) in LABEL_COLUMNS or _key(header).startswith("libgeo")


def detect_layout(header: list[str], *, column: str = "", year: int | None = None) -> Layout:
    keys = {_key(h): h for h in header}
    code = code_column(header)
    if code is None:
        raise ImportFailed(_("Colonne du code géographique introuvable (codgeo). Colonnes : %(c)s.")
                           % {"c": ", ".join(header[:20])})
    year_column = next((keys[k] for k in keys if k in YEAR_COLUMNS), None)
    others = [h for h in header if h != code and h != year_column and not is_label_column(h)]
    if column:
        if column not in header:
            raise ImportFailed(_("Colonne « %(c)s » absente du fichier.") % {"c": column})
        return Layout(code, year_column, {column: None if year_column or year else year_of(column)})
    if year_column:
        if len(others) != 1:
            raise ImportFailed(_("Plusieurs colonnes de valeurs (%(c)s) : choisissez-en une.")
                               % {"c": ", ".join(others[:10])})
        return Layout(code, year_column, {others[0]: None})
    by_year = {h: year_of(h) for h in others}
    if others and all(by_year.values()):
        return Layout(code, None, by_year)
    if len(others) == 1 and year:
        return Layout(code, None, {others[0]: year})
    raise ImportFailed(_("Année introuvable : ajoutez une colonne « an », des colonnes par année, ou indiquez "
                         "l'année et la colonne de valeurs."))


def layout_from_mapping(mapping: dict, header: list[str]) -> Layout:
    """The layout the person confirmed on the preview page (`forms_import.IndicatorMappingForm.options`)."""
    named = [mapping["code"], mapping.get("year") or "", *mapping["values"]]
    missing = [c for c in named if c and c not in header]
    if missing:
        raise ImportFailed(_("Colonnes absentes du fichier : %(c)s.") % {"c": ", ".join(missing)})
    return Layout(mapping["code"], mapping.get("year") or None,
                  {column: int(year) if year else None for column, year in mapping["values"].items()})


def year_of(header: str) -> int | None:
    match = YEAR_HEADER.match(header.strip())
    return int(match.group(1)) if match else None


def parse_value(raw: str) -> tuple[float | None, str]:
    try:  # the common case first: a plain number, decimal comma or point (float() ignores surrounding spaces)
        return float(raw.replace(",", ".")), ValueStatus.OK
    except (ValueError, AttributeError):
        pass
    text = (raw or "").strip()
    if text.lower() in SECRET:
        return None, ValueStatus.SECRET
    if text.lower() in MISSING:
        return None, ValueStatus.MISSING
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        return float(cleaned), ValueStatus.OK
    except ValueError:
        raise ValueError(text) from None


class TerritoryIndex:
    """code → current territory id at one level; at commune level former communes and arrondissements resolve
    to their current commune."""

    def __init__(self, level: str):
        self.level = level
        rows = Territory.objects.filter(level=level).values_list("code", "kind", "pk", "parent_commune_id")
        current = {code: pk for code, kind, pk, _ in rows if kind == Kind.CURRENT}
        former = {code: parent for code, kind, _, parent in rows if kind != Kind.CURRENT and parent}
        self.by_code = {**former, **current}
        self.former = set(former) - set(current)

    def get(self, code: str) -> int | None:
        found = self.by_code.get(code)  # the common case: a code written as the referential writes it
        if found is not None:
            return found
        code = code.strip().upper()
        if self.level == Level.COMMUNE and len(code) == 4 and code.isdigit():
            code = "0" + code  # spreadsheets drop the leading zero of Ain…Ardèche communes
        return self.by_code.get(code)


class IndicatorImporter(Importer):
    kind = "indicators"
    format = "csv"
    label = gettext_lazy("CSV d'observatoire (codgeo, an ou une colonne par année)")
    batch_size = 20_000

    def __init__(self, options=None, *, created_by=None):
        super().__init__(options, created_by=created_by)
        code = self.options.get("indicator", "")
        self.code = code
        self.indicator = Indicator.objects.filter(code=code).first()
        self.level = self.options.get("level") or Level.COMMUNE
        self.year = self.options.get("year")
        self.column = self.options.get("column", "")
        self.index = TerritoryIndex(self.level)
        self.layout: Layout | None = None
        self.changed_years: set[int] = set()  # years with values written, aggregated by finish()

    def clean(self, line: int, row: dict[str, str]) -> Cleaned | None:
        if self.indicator is None:
            raise ImportFailed(_("Indicateur inconnu : %(c)s.") % {"c": self.code})
        if self.layout is None:
            mapping = self.options.get("mapping")
            self.layout = layout_from_mapping(mapping, list(row)) if mapping else \
                detect_layout(list(row), column=self.column, year=self.year)
        layout = self.layout
        code = row[layout.code].strip()
        territory = self.index.get(code)
        if territory is None:
            raise RowError(layout.code, _("Code inconnu au niveau %(l)s : « %(c)s ».") % {"l": self.level, "c": code})
        warnings = []
        if self.index.former and code.upper() in self.index.former:
            warnings.append(Issue(line, layout.code, _("Ancienne commune %(c)s rattachée à la commune actuelle.")
                                  % {"c": code}, rejected=False))
        values = []
        year_text = row[layout.year].strip() if layout.year else ""
        for column, column_year in layout.values.items():
            year = column_year or (int(year_text) if year_text.isdigit() else None) or self.year
            if not year or not 1800 <= int(year) <= 2100:
                raise RowError(layout.year or column, _("Année illisible : « %(y)s ».") % {"y": year_text})
            try:
                value, status = parse_value(row[column])
            except ValueError:
                raise RowError(column, _("Valeur illisible : « %(v)s ».") % {"v": row[column]}) from None
            values.append((territory, int(year), value, status))
        return Cleaned(line, values, warnings)

    def write(self, batch: list[Cleaned], *, dry_run: bool) -> BatchResult:
        wanted: dict[tuple[int, int], tuple[float | None, str]] = {}
        result = BatchResult()
        for cleaned in batch:
            for territory, year, value, status in cleaned.data:
                key = (territory, year)
                if key in wanted and self.indicator.kind == Aggregation.COUNT and value is not None:
                    # Two former communes of one current commune: their counts add up.
                    previous = wanted[key][0] or 0.0
                    wanted[key] = (previous + value, ValueStatus.OK)
                elif key in wanted:
                    result.issues.append(Issue(cleaned.line, "", _("Territoire déjà lu pour cette année : "
                                                                    "valeur ignorée."), rejected=False))
                else:
                    wanted[key] = (value, status)
        # The batch's territories as an id range, not an IN list of 20,000 parameters (slow to build and to
        # plan); rows of the range outside the batch are ignored below.
        territories = {t for t, _ in wanted}
        existing = {(t, y): (pk, v, s) for pk, t, y, v, s in IndicatorValue.objects.filter(
            indicator=self.indicator, territory_id__gte=min(territories, default=0),
            territory_id__lte=max(territories, default=0), year__in={y for _, y in wanted}).values_list(
            "pk", "territory_id", "year", "value", "status") if (t, y) in wanted}
        new, changed = [], []
        # In the order of the indexes (indicator, year, level) and (indicator, territory, year): each index is
        # then written at a few places moving forward instead of all over, which costs the inserts less.
        for (territory, year), (value, status) in sorted(wanted.items(), key=lambda item: (item[0][1], item[0][0])):
            if (territory, year) not in existing:
                new.append({"indicator_id": self.indicator.pk, "territory_id": territory, "level": self.level,
                            "year": year, "value": value, "status": status, "computed": False})
            else:
                pk, old_value, old_status = existing[(territory, year)]
                if old_value == value and old_status == status:
                    result.unchanged += 1
                else:
                    changed.append(IndicatorValue(pk=pk, value=value, status=status, computed=False))
        result.created, result.updated = len(new), len(changed)
        if not dry_run:
            bulk_insert(IndicatorValue, new)
            IndicatorValue.objects.bulk_update(changed, ["value", "status", "computed"], batch_size=2000)
            if new or changed:
                VALUES_VERSION.bump()  # bulk writes send no signal: similarity tables and maps follow
                self.changed_years.update(y for _, y in wanted)
        return result

    def finish(self, *, dry_run: bool) -> None:
        if self.level == Level.COMMUNE and self.changed_years and not dry_run:
            aggregate(self.indicator, sorted(self.changed_years))


IMPORTERS: dict[str, type[Importer]] = {"csv": IndicatorImporter}

register_import(ImportKind(
    name="indicators",
    title=gettext_lazy("Importer des valeurs d'indicateur"),
    importers=IMPORTERS,
    form=IndicatorImportForm,
    mapping_form=IndicatorMappingForm,
    parent=(gettext_lazy("Indicateurs de l'observatoire"), "observatory:catalogue"),
))
