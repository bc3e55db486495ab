"""Regenerate catalyse/territories/data/territories.csv.gz from the raw @etalab/decoupage-administratif files.

Usage: python scripts/build_territory_data.py [RAW_DIR]   (default: ../shared/data/decoupage-administratif)

The compact file holds one row per territory with its parents already resolved, so that the loader
needs no join logic and the package installs without the raw data.
"""

import csv
import gzip
import io
import json
import shutil
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "catalyse" / "territories" / "data"
COLUMNS = [
    "level", "kind", "code", "name", "zone", "population", "postal_codes", "siren",
    "epci_type", "region", "departement", "epci", "parent_commune",
]
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


def main() -> None:
    raw = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "decoupage-administratif"
    rows = build(raw)
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
    print(f"{len(rows)} rows → {OUT_DIR / 'territories.csv.gz'}")


if __name__ == "__main__":
    main()
