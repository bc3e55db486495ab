"""What the index holds: one `SearchDocument` per searchable object, built from the database in bulk by the
builders of the registered kinds (registry.py).

Territory codes of the object AND of all its ancestors go into `territories` ("region:32",
"departement:59", "epci:200041960", "commune:59360"), so that any geographic filter is one term query.
`audience` encodes who may see the document, as terms matched against the person's grants (see
`grants_for`): "public", "members", "org:<id>" (people of that organisation), "user:<id>" (the creator).

A kind's own fields go into `terms` (keyword fields: its facets and browse codes) and `dates` (the dates its
listing orders by), under the names the kind declares; the listing pages read their filters, facets and sort
order from them (see docs/architecture.md, "Faceted browsing").
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from django.apps import apps
from django.db.models import QuerySet

from catalyse.core import permissions
from catalyse.core.text import fold
from catalyse.territories.keys import territory_key

from .registry import _grants

BODY_STORED_CHARS = 4000  # enough for snippets; the database keeps the full text


@dataclass
class SearchDocument:
    kind: str
    object_id: int
    title: str
    url: str
    summary: str = ""
    body: str = ""
    terms: dict[str, list[str]] = field(default_factory=dict)  # the kind's keyword fields, by declared name
    dates: dict[str, date | None] = field(default_factory=dict)  # the kind's date fields, by declared name
    audience: list[str] = field(default_factory=lambda: ["public"])
    territories: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    departement: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    updated_at: datetime | None = None
    # Exact identifiers (a register's numbers as typed): a listing's search box matches them whatever the words.
    identifiers: list[str] = field(default_factory=list)
    # Words the document is found by without showing them: names of its places, partners and themes (searched
    # with the body's weight, never stored, so a snippet never shows them as if they were its text).
    context: str = ""

    @property
    def searched_body(self) -> str:
        return f"{self.body}\n{self.context}" if self.context else self.body

    @property
    def sort_name(self) -> str:
        """The title as the A → Z order compares it: accents and case do not move a name."""
        return fold(self.title)

    @property
    def doc_id(self) -> str:
        return f"{self.kind}:{self.object_id}"

    @property
    def rotation(self) -> int:
        """A stable pseudo-random position on a ring, used for fair exposure among equal scores."""
        return rotation_key(self.doc_id)


def rotation_key(doc_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=4).digest(), "big")


@dataclass(frozen=True)
class TerritoryInfo:
    terms: tuple[str, ...]
    region: str
    departement: str
    lat: float | None
    lon: float | None


@lru_cache(maxsize=1)
def territory_index() -> dict[int, TerritoryInfo]:
    """Every territory's own and ancestors' terms, loaded once per process (the referential changes yearly)."""
    Territory = apps.get_model("territories", "Territory")
    fields = ["pk", "level", "code", "region__code", "departement__code", "epci__code"]
    has_point = hasattr(Territory, "latitude")
    if has_point:
        fields += ["latitude", "longitude"]
    out = {}
    for row in Territory.objects.values_list(*fields).iterator(chunk_size=5000):
        pk, level, code, reg, dep, epci = row[:6]
        reg = code if level == "region" else (reg or "")
        dep = code if level == "departement" else (dep or "")
        terms = [territory_key(level, code)]
        terms += [territory_key("region", reg)] if reg and level != "region" else []
        terms += [territory_key("departement", dep)] if dep and level != "departement" else []
        terms += [territory_key("epci", epci)] if epci else []
        lat, lon = (row[6], row[7]) if has_point else (None, None)
        out[pk] = TerritoryInfo(tuple(dict.fromkeys(terms)), reg, dep, lat, lon)
    return out


_placements: dict[tuple[int, ...], tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], float | None,
                                          float | None]] = {}


def place(doc: SearchDocument, territory_ids: Iterable[int]) -> None:
    """Territory terms, région and département codes of the territories, and the first one's point if the
    document has none. Remembered per combination of territories: most organisations have only their head
    office, so a rebuild computes each commune's once rather than once per organisation."""
    key = tuple(territory_ids)
    placement = _placements.get(key)
    if placement is None:
        if len(_placements) > 100_000:
            _placements.clear()
        placement = _placements[key] = _placement(key)
    terms, regions, deps, lat, lon = placement
    doc.territories, doc.region, doc.departement = list(terms), list(regions), list(deps)
    if doc.lat is None and lat is not None:
        doc.lat, doc.lon = lat, lon


def _placement(territory_ids: tuple[int, ...]):
    index = territory_index()
    terms, regions, deps = {}, {}, {}
    lat = lon = None
    for tid in territory_ids:
        info = index.get(tid)
        if info is None and tid is not None:
            # `load_territories` adds territories (the yearly referential update) while worker processes keep
            # their copy: an unknown id means the copy is stale, not that the territory has no ancestors.
            territory_index.cache_clear()
            _placements.clear()
            index = territory_index()
            info = index.get(tid)
        if info is None:
            continue
        terms.update(dict.fromkeys(info.terms))
        if info.region:
            regions[info.region] = None
        if info.departement:
            deps[info.departement] = None
        if lat is None and info.lat is not None:
            lat, lon = info.lat, info.lon
    return tuple(terms), tuple(regions), tuple(deps), lat, lon


# --- helpers for the kinds' builders (registry.SearchKind.build) ---------------------------------------


def among(field: str, ids: list[int]) -> dict:
    """A filter on `field` for these ids: a range when they are dense (a rebuild's part), as SQL compares two
    bounds per row where a list needs one value per id (ORM and database time alike); sparse ids go through
    `any_of` (catalyse/core/lookups.py). Rows of ids in the range but not in `ids` may come too: callers build
    facts for them as well."""
    lo, hi = min(ids), max(ids)
    return {f"{field}__gte": lo, f"{field}__lte": hi} if hi - lo < 2 * len(ids) else {f"{field}__any_of": ids}


def chunks(qs: QuerySet, columns: tuple[str, ...], size: int = 2000) -> Iterator[list[tuple]]:
    """Rows of `qs` as tuples (pk first), in primary-key order, `size` at a time."""
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk").values_list(*columns)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def grants_for(user) -> list[str] | None:
    """The audience terms `user` may see; None means everything (animators and administrators). Apps add
    their own terms (registry.register_grants: the person's organisations)."""
    if permissions.is_animator(user):
        return None
    if not permissions.is_member(user):
        return ["public"]
    return ["public", "members", f"user:{user.pk}", *(term for grants in _grants for term in grants(user))]
