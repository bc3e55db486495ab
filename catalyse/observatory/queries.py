"""Reads of the observatory: a territory's fragility profile, its co-construction priorities, similar territories.

Fragility of one indicator for one territory = how far it is from the national reference, in the direction
that is worse: value / national when higher is worse, national / value when higher is better (1 = like
France; 1.3 = 30 % worse). The national reference is the régions' values aggregated like the communes'
(sum for counts, population-weighted mean for rates): the referential has no "France" row.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max

from catalyse.core.cache_version import DataVersion
from catalyse.territories.models import Level, Territory

from .models import Aggregation, Indicator, IndicatorValue, ValueStatus

# The co-construction priority rule (stated on the page and tested):
FRAGILE_FROM = 1.15  # an indicator at least 15 % worse than the national reference is a fragility
FEW_INITIATIVES = 3  # a theme with fewer initiatives than this in the territory (and below) is under-served
SIMILAR_COUNT = 10
TYPOLOGY_WEIGHT = 1.0  # a different typology counts like one standard deviation on one indicator

# Bumped by every write of values: imports and aggregation write in bulk (no signals), so they bump it
# themselves; single saves of values and every save or delete of an indicator bump it through signals (apps.py).
VALUES_VERSION = DataVersion("observatory:values:version")


def values_state() -> str:
    """What derived data (the similarity tables, choropleth payloads, the national reference) is keyed by: the
    version, and the highest value id — a database rolled back under a kept version (tests) still differs."""
    return f"{VALUES_VERSION.get()}-{IndicatorValue.objects.aggregate(m=Max('pk'))['m'] or 0}"


@dataclass
class ProfileRow:
    indicator: Indicator
    year: int
    value: float | None
    status: str
    regional: float | None
    national: float | None

    @property
    def fragility(self) -> float | None:
        return fragility(self.indicator, self.value, self.national)

    @property
    def is_fragile(self) -> bool:
        return (self.fragility or 0) >= FRAGILE_FROM


def fragility(indicator: Indicator, value: float | None, national: float | None) -> float | None:
    if value is None or national is None:
        return None
    if indicator.higher_is_worse:
        return value / national if national else None
    return national / value if value else math.inf


_REFERENCE: dict[str, tuple[dict[int, int], dict[int, float]]] = {}


def latest_years() -> dict[int, int]:
    """indicator id → its latest year with values."""
    return _reference()[0]


def _reference() -> tuple[dict[int, int], dict[int, float]]:
    """(latest years, national values), computed once per state of the values: every territory page needs them
    and they read every value of the régions (and a GROUP BY over every value)."""
    state = values_state()
    found = _REFERENCE.get(state)
    if found is None:
        years = dict(IndicatorValue.objects.values_list("indicator").annotate(y=Max("year")).order_by())
        found = (years, national_values(years))
        _REFERENCE.clear()
        _REFERENCE[state] = found
    return found


def national_values(years: dict[int, int]) -> dict[int, float]:
    """indicator id → national reference for its latest year, from the régions' values."""
    population = dict(Territory.objects.filter(level=Level.REGION).values_list("pk", "population"))
    kinds = dict(Indicator.objects.values_list("pk", "kind"))
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for ind, year, territory, value in IndicatorValue.objects.filter(
            level=Level.REGION, status=ValueStatus.OK, value__isnull=False).values_list(
            "indicator", "year", "territory", "value"):
        if years.get(ind) != year:
            continue
        weight = 1.0 if kinds[ind] == Aggregation.COUNT else float(population.get(territory) or 0)
        sums[ind][0] += value * weight
        sums[ind][1] += weight
    return {ind: (num if kinds[ind] == Aggregation.COUNT else num / den)
            for ind, (num, den) in sums.items() if den}


def profile(territory: Territory) -> list[ProfileRow]:
    years, national = _reference()
    if not years:
        return []
    own = {(i, y): (v, s) for i, y, v, s in IndicatorValue.objects.filter(territory=territory)
           .values_list("indicator", "year", "value", "status")}
    regional = {}
    if territory.region_id and territory.region_id != territory.pk:
        regional = {(i, y): v for i, y, v in IndicatorValue.objects.filter(territory_id=territory.region_id)
                    .values_list("indicator", "year", "value")}
    rows = []
    for indicator in Indicator.objects.filter(pk__in=years):
        key = (indicator.pk, years[indicator.pk])
        value, status = own.get(key, (None, ValueStatus.MISSING))
        rows.append(ProfileRow(indicator, key[1], value, status, regional.get(key), national.get(indicator.pk)))
    return rows


@dataclass(frozen=True)
class Priority:
    theme: str
    fragility: float  # the worst of the theme's indicators
    initiatives: int


def priority_themes(fragility_by_theme: dict[str, float], initiatives_by_theme: dict[str, int]) -> list[Priority]:
    """The rule: a theme is a co-construction priority when one of its indicators is at least FRAGILE_FROM
    times worse than the national reference and fewer than FEW_INITIATIVES initiatives address it in the
    territory and below; most fragile first."""
    found = [Priority(theme, score, initiatives_by_theme.get(theme, 0))
             for theme, score in fragility_by_theme.items()
             if score >= FRAGILE_FROM and initiatives_by_theme.get(theme, 0) < FEW_INITIATIVES]
    return sorted(found, key=lambda p: (-p.fragility, p.theme))


def worst_by_theme(rows: list[ProfileRow]) -> dict[str, float]:
    worst: dict[str, float] = {}
    for row in rows:
        if row.fragility is not None:
            worst[row.indicator.theme] = max(worst.get(row.indicator.theme, 0.0), row.fragility)
    return worst


# --- similar territories ---------------------------------------------------------------------------------
@dataclass
class Similar:
    territory: Territory
    distance: float
    close: list[str] = field(default_factory=list)  # what is close
    differs: list[str] = field(default_factory=list)  # what differs most


@dataclass
class _Table:
    ids: list[int]
    typology: dict[int, str]
    features: list[str]  # labels
    rows: list[tuple[float | None, ...]]  # one per territory, aligned with ids: standardised features (z-scores)
    position: dict[int, int] = field(default_factory=dict)  # id → index in ids
    # Indices of the rows with every feature known, with their typology: the common case, scored by math.dist
    # (in C) in one pass; the few others go through the slower loop that leaves missing features out.
    complete: list[tuple[int, tuple[float, ...], str]] = field(default_factory=list)
    partial: list[int] = field(default_factory=list)


_TABLES: dict[tuple[str, str, int], _Table] = {}


def _table(level: str) -> _Table:
    """Standardised features of every territory of a level (log population and each indicator's latest value),
    computed once per state of the values (`values_state`) and of the referential, kept in this process's memory."""
    key = (level, values_state(), Territory.objects.filter(level=level).count())
    if key in _TABLES:
        return _TABLES[key]
    territories = list(
        Territory.objects.filter(level=level, kind="current").values_list(
            "pk", "population", "typology_override", "typology_computed"
        )
    )
    ids = [t[0] for t in territories]
    index = {pk: n for n, pk in enumerate(ids)}
    features = ["population"]
    raw: list[list[float | None]] = [[math.log10(p) if p else None for _, p, _, _ in territories]]
    years = latest_years()
    indicators = list(Indicator.objects.filter(pk__in=years))
    columns_of = {indicator.pk: [None] * len(ids) for indicator in indicators}
    # One query for every indicator's values at this level (each then kept if of its indicator's latest year).
    for indicator_id, year, territory, value in (
        IndicatorValue.objects.filter(indicator__in=indicators, level=level, value__isnull=False)
        .values_list("indicator_id", "year", "territory", "value")
        .iterator(chunk_size=20_000)
    ):
        if years[indicator_id] == year and territory in index:
            columns_of[indicator_id][index[territory]] = value
    for indicator in indicators:
        features.append(indicator.name)
        raw.append(columns_of[indicator.pk])
    columns = []
    for column in raw:
        known = [v for v in column if v is not None]
        mean = sum(known) / len(known) if known else 0.0
        sd = math.sqrt(sum((v - mean) ** 2 for v in known) / len(known)) if known else 0.0
        columns.append([None if v is None or not sd else (v - mean) / sd for v in column])
    rows = list(zip(*columns, strict=True)) if columns else []
    typology = {pk: o or c for pk, _, o, c in territories}
    table = _Table(ids, typology, features, rows, index)
    for n, row in enumerate(rows):
        if None in row:
            table.partial.append(n)
        else:
            table.complete.append((n, row, typology[ids[n]]))
    _TABLES.clear()
    _TABLES[key] = table
    return table


def _distances(table: _Table, me: int) -> list[tuple[float, int]]:
    """(squared distance, row index) of every other comparable row to row `me`."""
    mine = table.rows[me]
    typology = table.typology[table.ids[me]]
    n_features = len(mine)
    known = sum(v is not None for v in mine)
    scored = []
    if known == n_features:  # the common case, kept tight: 35k communes
        dist = math.dist
        scored = [
            (dist(mine, row) ** 2 + (TYPOLOGY_WEIGHT if kind != typology else 0.0), n)
            for n, row, kind in table.complete
            if n != me
        ]
        others = table.partial
    else:
        others = [n for n in range(len(table.rows)) if n != me]
    for n in others:
        if n == me:
            continue
        pairs = [(a, b) for a, b in zip(mine, table.rows[n], strict=True) if a is not None and b is not None]
        if len(pairs) * 2 < known or not pairs:
            continue  # too little in common to compare
        total = sum((a - b) ** 2 for a, b in pairs) * n_features / len(pairs)
        if table.typology[table.ids[n]] != typology:
            total += TYPOLOGY_WEIGHT
        scored.append((total, n))
    return scored


def similar_territories(territory: Territory, count: int = SIMILAR_COUNT) -> list[Similar]:
    """The `count` territories of the same level closest to this one: Euclidean distance between standardised
    features (log population, every indicator), plus TYPOLOGY_WEIGHT when the typology differs; features
    missing on either side are left out of that pair's distance (and it is scaled up to compensate); a territory
    sharing fewer than half of this one's known features is not compared."""
    table = _table(territory.level)
    me = table.position.get(territory.pk)
    if me is None:
        return []
    mine = table.rows[me]
    typology = table.typology[territory.pk]
    n_features = len(mine)
    # Ties broken by territory id, as before the rows were scored by index.
    best = heapq.nsmallest(count, _distances(table, me), key=lambda s: (s[0], table.ids[s[1]]))
    found = Territory.objects.in_bulk([table.ids[n] for _, n in best])
    out = []
    for total, n in best:
        pk, row = table.ids[n], table.rows[n]
        gaps = sorted(
            (abs(mine[f] - row[f]), table.features[f])
            for f in range(n_features)
            if mine[f] is not None and row[f] is not None
        )
        close = [name for _, name in gaps[:2]]
        differs = [name for gap, name in gaps[-1:] if gap >= 0.5]
        if table.typology[pk] == typology:
            close.insert(0, "typologie")
        out.append(Similar(found[pk], round(math.sqrt(total), 3), close, differs))
    return out
