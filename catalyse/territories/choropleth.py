"""Choropleth maps of the children of a territory, drawn by core's chart renderer from the shipped outlines.

    chart = choropleth_chart(departement, "commune", {"62001": 12.5, …}, title="Taux de chômage", unit="%")
    {% include "core/chart.html" with chart=chart %}
"""

from functools import lru_cache

from catalyse.core.charts import Chart, MapShape
from catalyse.core.charts import choropleth_chart as draw

from .models import Level, Territory, Zone
from .outlines import LICENCE, Area, children_outlines
from .queries import territory_get

AREA_LABELS = {Level.REGION: "Région", Level.DEPARTEMENT: "Département", Level.EPCI: "EPCI",
               Level.COMMUNE: "Commune"}


def _overseas(area: Area, names: dict[str, str]) -> tuple[str, str]:
    """(inset key, label) of an overseas territory: one inset per overseas département."""
    if area.zone == Zone.METRO:
        return "", ""
    if area.level in (Level.REGION, Level.DEPARTEMENT):
        return area.code, area.name
    return area.departement, names.get(area.departement, area.departement)


def map_shapes(parent: Territory | None, level: str) -> list[MapShape]:
    """The children of `parent` at `level` (régions of France when `parent` is None) as shapes to map."""
    return list(_map_shapes(parent.level if parent else "", parent.code if parent else "", level))


@lru_cache(maxsize=128)
def _map_shapes(parent_level: str, parent_code: str, level: str) -> tuple[MapShape, ...]:
    # Cached, so that core's renderer finds the same shapes and reuses their projected paths.
    parent = territory_get(parent_level, parent_code) if parent_level else None
    names = dict(Territory.objects.filter(level=Level.DEPARTEMENT, zone=Zone.DROM).values_list("code", "name"))
    shapes = []
    for area, shape in children_outlines(parent, level):
        inset, label = _overseas(area, names)
        shapes.append(MapShape(area.code, area.label, shape, inset, label))
    return tuple(shapes)


def choropleth_chart(parent: Territory | None, level: str, values: dict[str, float | None], *, title: str,
                     unit: str = "", method: str = "quantiles", classes: int = 5, value_label: str = "Valeur",
                     description: str = "", source: str = "") -> Chart:
    """`values` by territory code; every child is drawn (hatched when it has no value) and listed in the table.
    `source` (e.g. "Insee, 2021") is printed under the legend with the outlines' licence."""
    credit = " · ".join(part for part in (source, LICENCE) if part)
    return draw(title, map_shapes(parent, level), values, unit=unit, method=method, classes=classes,
                value_label=value_label, area_label=AREA_LABELS.get(level, "Territoire"),
                description=description, source=credit)
