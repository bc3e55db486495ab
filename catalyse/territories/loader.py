"""Load the packaged territory referential into the database: idempotent, diff-based, fast.

Rows are written level by level (régions, départements, EPCI, communes, then former communes) so
that each row's parent ids are already known when it is created: one INSERT pass on a fresh
database, and on later runs only the rows whose data changed are updated.
"""

import csv
import gzip
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from catalyse.core.text import fold

from .models import Kind, Level, Territory
from .typology import commune_typology, epci_typology

DATA_FILE = Path(__file__).parent / "data" / "territories.csv.gz"
LEVEL_ORDER = [Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE]
FIELDS = [
    "name", "search_name", "zone", "population", "postal_codes", "siren", "epci_type", "typology_computed",
    "region_id", "departement_id", "epci_id", "parent_commune_id", "latitude", "longitude",
]
Key = tuple[str, str, str]


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        out = []
        for level in LEVEL_ORDER:
            total = self.created[level] + self.updated[level] + self.unchanged[level]
            out.append(
                f"{Level(level).label}: {total} ({self.created[level]} créés, {self.updated[level]} mis à jour, "
                f"{self.unchanged[level]} inchangés)"
            )
        return out


def read_rows(path: Path = DATA_FILE) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _with_typology(rows: list[dict]) -> None:
    epci_types = {r["code"]: r["epci_type"] for r in rows if r["level"] == Level.EPCI}
    largest = defaultdict(int)
    for r in rows:
        r["population"] = int(r["population"]) if r["population"] else None
        r["typology_computed"] = ""
        if r["level"] == Level.COMMUNE and r["kind"] == Kind.CURRENT:
            largest[r["epci"]] = max(largest[r["epci"]], r["population"] or 0)
    for r in rows:
        if r["level"] == Level.COMMUNE and r["kind"] == Kind.CURRENT:
            r["typology_computed"] = commune_typology(
                zone=r["zone"], population=r["population"], epci_type=epci_types.get(r["epci"])
            )
        elif r["level"] == Level.EPCI:
            r["typology_computed"] = epci_typology(
                zone=r["zone"], population=r["population"], epci_type=r["epci_type"],
                largest_commune=largest[r["code"]],
            )


def _ordered(rows: list[dict]) -> Iterable[list[dict]]:
    for level in LEVEL_ORDER:
        yield [r for r in rows if r["level"] == level and r["kind"] == Kind.CURRENT]
    yield [r for r in rows if r["kind"] != Kind.CURRENT]


@transaction.atomic
def territories_load(path: Path = DATA_FILE) -> LoadReport:
    rows = read_rows(path)
    _with_typology(rows)
    report = LoadReport()
    existing: dict[Key, dict] = {
        (t["level"], t["kind"], t["code"]): t
        for t in Territory.objects.values("id", "level", "kind", "code", *FIELDS)
    }
    ids: dict[Key, int] = {key: t["id"] for key, t in existing.items()}

    def ref(level: str, code: str) -> int | None:
        return ids[(level, Kind.CURRENT, code)] if code else None

    for batch in _ordered(rows):
        to_create, to_update = [], []
        for r in batch:
            values = {
                "name": r["name"], "search_name": fold(r["name"]), "zone": r["zone"],
                "population": r["population"], "postal_codes": r["postal_codes"], "siren": r["siren"],
                "epci_type": r["epci_type"], "typology_computed": r["typology_computed"],
                "region_id": ref(Level.REGION, r["region"]) if r["level"] != Level.REGION else None,
                "departement_id": ref(Level.DEPARTEMENT, r["departement"]),
                "epci_id": ref(Level.EPCI, r["epci"]),
                "parent_commune_id": ref(Level.COMMUNE, r["parent_commune"]),
                "latitude": float(r["latitude"]) if r.get("latitude") else None,
                "longitude": float(r["longitude"]) if r.get("longitude") else None,
            }
            key = (r["level"], r["kind"], r["code"])
            current = existing.get(key)
            if current is None:
                to_create.append(Territory(level=r["level"], kind=r["kind"], code=r["code"], **values))
                report.created[r["level"]] += 1
            elif any(current[f] != v for f, v in values.items()):
                to_update.append(Territory(id=current["id"], **values))
                report.updated[r["level"]] += 1
            else:
                report.unchanged[r["level"]] += 1
        Territory.objects.bulk_create(to_create, batch_size=2000)
        Territory.objects.bulk_update(to_update, FIELDS, batch_size=500)
        # bulk_create returns primary keys on SQLite ≥ 3.35 and PostgreSQL; children need them next.
        ids.update(((t.level, t.kind, t.code), t.pk) for t in to_create)
    return report
