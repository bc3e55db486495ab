"""Every shipped commune outline is a usable polygon around its commune's centroid (not only a few samples):
the choropleths and maps draw all of them."""

import pytest

from catalyse.territories.models import Kind, Level, Territory
from catalyse.territories.outlines import outlines

pytestmark = pytest.mark.django_db


def _area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def test_every_commune_outline_is_a_valid_polygon_around_its_centroid():
    communes = {code: (lon, lat) for code, lon, lat in Territory.objects.filter(
        level=Level.COMMUNE, kind=Kind.CURRENT, latitude__isnull=False).values_list("code", "longitude", "latitude")}
    shapes = outlines(Level.COMMUNE, communes)
    assert len(shapes) >= len(communes) - 4  # the four restored Cantal communes (see test_outlines)
    bad = []
    for code, shape in shapes.items():
        rings = [ring for polygon in shape for ring in polygon]
        points = [point for ring in rings for point in ring]
        valid = (shape and all(len({tuple(p) for p in ring}) >= 3 for ring in rings)
                 and all(abs(_area(polygon[0])) > 0 for polygon in shape)
                 and all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in points))
        lon, lat = communes[code]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        if not valid or not (min(xs) <= lon <= max(xs) and min(ys) <= lat <= max(ys)):
            bad.append(code)
    assert bad == []
