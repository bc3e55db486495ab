"""Aggregation of commune values up the hierarchy: EPCI, département, région (the referential has no
"France" row: the national reference is computed on the fly from the régions, see `queries`).

Rules: a count (`Aggregation.COUNT`) is the sum of its communes' values; a rate is the mean of its communes'
values weighted by their population. Secret and missing values are left out of both (the aggregate covers
the communes that have a value). Aggregates are stored with `computed=True`; a value imported at that
level (`computed=False`) is never overwritten. The communes' values are read once and summed for the three
levels in one pass.
"""

from collections import defaultdict

from django.db import transaction

from catalyse.core.imports import bulk_insert
from catalyse.territories.models import Level, Territory

from .models import Aggregation, Indicator, IndicatorValue, ValueStatus
from .queries import VALUES_VERSION

PARENT_FIELDS = {Level.EPCI: "epci_id", Level.DEPARTEMENT: "departement_id", Level.REGION: "region_id"}


def aggregate(indicator: Indicator, years: list[int] | None = None) -> int:
    """Recompute the indicator's aggregates above the commune level; returns the number of rows written."""
    base = IndicatorValue.objects.filter(indicator=indicator, level=Level.COMMUNE, status=ValueStatus.OK,
                                         value__isnull=False)
    if years:
        base = base.filter(year__in=years)
    # One read of the communes' values and one pass for the three levels, rather than a grouped join per level:
    # a national file of 140,000 values aggregates in about half the time.
    above = {pk: (parents, population) for pk, *parents, population in Territory.objects.filter(
        level=Level.COMMUNE).values_list("pk", *PARENT_FIELDS.values(), "population").iterator(chunk_size=20_000)}
    is_count = indicator.kind == Aggregation.COUNT
    sums: list[dict[tuple[int, int], list[float]]] = [defaultdict(lambda: [0.0, 0.0]) for _ in PARENT_FIELDS]
    for territory, year, value in base.values_list("territory_id", "year", "value").iterator(chunk_size=20_000):
        parents, population = above.get(territory, ((None,) * len(PARENT_FIELDS), None))
        weight = 1.0 if is_count else float(population or 0)
        if not weight:
            continue  # a rate is weighted by population: a commune without one does not count
        for level_sums, parent in zip(sums, parents, strict=True):
            if parent is not None:
                slot = level_sums[(parent, year)]
                slot[0] += value * weight
                slot[1] += weight
    written = 0
    with transaction.atomic():
        for level, level_sums in zip(PARENT_FIELDS, sums, strict=True):
            stale = IndicatorValue.objects.filter(indicator=indicator, level=level, computed=True)
            if years:
                stale = stale.filter(year__in=years)
            stale.delete()
            imported = set(IndicatorValue.objects.filter(indicator=indicator, level=level)
                           .values_list("territory_id", "year"))
            new = [{"indicator_id": indicator.pk, "territory_id": t, "level": level, "year": y,
                    "value": num if is_count else num / den, "status": ValueStatus.OK, "computed": True}
                   for (t, y), (num, den) in sorted(level_sums.items()) if (t, y) not in imported]
            bulk_insert(IndicatorValue, new)
            written += len(new)
        VALUES_VERSION.bump()  # bulk writes send no signal
    return written
