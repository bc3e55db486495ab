"""Aggregation of commune values up the hierarchy: EPCI, département, région (the referential has no
"France" row: the national reference is computed on the fly from the régions, see `queries`).

Rules: a count (`Aggregation.COUNT`) is the sum of its communes' values; a rate is the mean of its communes'
values weighted by their population. Secret and missing values are left out of both (the aggregate covers
the communes that have a value). Aggregates are stored with `computed=True`; a value imported at that
level (`computed=False`) is never overwritten. One grouped query per level: set-based, whatever the count
of communes.
"""

from django.db import transaction
from django.db.models import F, FloatField, Sum
from django.db.models.functions import Cast

from catalyse.core.imports import bulk_insert
from catalyse.territories.models import Level

from .models import Aggregation, Indicator, IndicatorValue, ValueStatus
from .queries import VALUES_VERSION

PARENT_FIELDS = {Level.EPCI: "epci_id", Level.DEPARTEMENT: "departement_id", Level.REGION: "region_id"}


def aggregate(indicator: Indicator, years: list[int] | None = None) -> int:
    """Recompute the indicator's aggregates above the commune level; returns the number of rows written."""
    base = IndicatorValue.objects.filter(indicator=indicator, level=Level.COMMUNE, status=ValueStatus.OK,
                                         value__isnull=False)
    if years:
        base = base.filter(year__in=years)
    written = 0
    with transaction.atomic():
        for level, parent in PARENT_FIELDS.items():
            grouped = base.filter(**{f"territory__{parent}__isnull": False}).values(
                "year", parent_id=F(f"territory__{parent}"))
            if indicator.kind == Aggregation.COUNT:
                rows = [(r["parent_id"], r["year"], r["total"])
                        for r in grouped.annotate(total=Sum("value")).order_by()]
            else:
                population = Cast("territory__population", FloatField())
                rows = [(r["parent_id"], r["year"], r["num"] / r["den"])
                        for r in grouped.filter(territory__population__gt=0)
                        .annotate(num=Sum(F("value") * population), den=Sum(population)).order_by()
                        if r["den"]]
            stale = IndicatorValue.objects.filter(indicator=indicator, level=level, computed=True)
            if years:
                stale = stale.filter(year__in=years)
            stale.delete()
            imported = set(IndicatorValue.objects.filter(indicator=indicator, level=level)
                           .values_list("territory_id", "year"))
            new = [{"indicator_id": indicator.pk, "territory_id": t, "level": level, "year": y, "value": v,
                    "status": ValueStatus.OK, "computed": True}
                   for t, y, v in rows if (t, y) not in imported]
            bulk_insert(IndicatorValue, new)
            written += len(new)
        VALUES_VERSION.bump()  # bulk writes send no signal
    return written
