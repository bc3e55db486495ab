"""The one interface both engines implement, and the query/result contract they share.

A `SearchQuery` arrives already analysed (terms, not words) and already carrying the person's grants:
backends translate it into their own query language and must apply every filter — including the
audience/grants filter — INSIDE the engine query, so counts and facets never include hidden documents.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..documents import SearchDocument
from ..registry import indexed_kinds, layout
from ..vocabulary import count_words

SORTS = ("relevance", "recency", "distance")
FACET_SIZE = 100
# Fair exposure reorders equal scores among the page and this many hits beyond it (docs/search.md).
TIE_WINDOW = 50


def facet_names() -> tuple[str, ...]:
    """The facets of the search page and the API: the kind, the registered kinds' offered facets (in the
    order of registration), then région and département."""
    return ("kind", *(f.name for f in layout().offered), "region", "departement")


def browse_sorts() -> tuple[str, ...]:
    """Orders of the listing pages (never offered by the public search API): by name, most recently updated,
    or most recent first by one of the kinds' dates ("-<name>")."""
    return ("name", "-updated", *(f"-{d.name}" for d in layout().dates))
@dataclass(frozen=True)
class Alt:
    """One way a query word may match: an exact term, or every term starting with `term` (prefix)."""

    term: str
    boost: float = 1.0
    prefix: bool = False


@dataclass
class Clause:
    """A required part of the query: a word (any of its alternatives) or a phrase (alternatives per position)."""

    alts: list[Alt] = field(default_factory=list)
    phrase: list[list[str]] | None = None


@dataclass
class SearchQuery:
    clauses: list[Clause] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    grants: list[str] | None = field(default_factory=lambda: ["public"])
    near: tuple[float, float, float] | None = None  # lat, lon, radius in km
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0
    with_facets: bool = True
    rotation_salt: int = 0
    exclude_doc_ids: list[str] = field(default_factory=list)
    title_only: bool = False  # words match the title alone (the directory's name filter)
    identifier: str = ""  # also match documents carrying this exact identifier, whatever the words

    @property
    def is_match_all(self) -> bool:
        return not self.clauses


@dataclass
class SearchHit:
    doc_id: str
    kind: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    score: float = 0.0
    updated_ts: int = 0
    lat: float | None = None
    lon: float | None = None
    terms: dict[str, list[str]] = field(default_factory=dict)  # the values of the facets compared by similarity
    territories: list[str] = field(default_factory=list)
    distance_km: float | None = None
    snippet: str = ""
    reason: str = ""

    @property
    def object_id(self) -> int:
        return int(self.doc_id.split(":", 1)[1])


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    # True when `total` and the facet counts were estimated from a sample of the matches (a backend may do
    # so above some number of matches, where exact counting costs more than the search): pages say "environ".
    estimated: bool = False


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    dlat = radius_km / 111.2
    dlon = radius_km / (111.2 * max(0.01, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


@dataclass
class BrowsePage:
    """A page of a browse listing: object ids in the requested order (the database supplies the rows)."""

    ids: list[int]
    total: int


class SearchBackend(ABC):
    name: str
    # Whether the browse methods below are served: the directory and the map then read this engine.
    supports_browse: bool = False
    # True when the index lost its documents (a new schema) and must be rebuilt before pages may read it.
    needs_rebuild: bool = False

    @abstractmethod
    def index_documents(self, docs: list[SearchDocument]) -> None:
        """Add or replace (by doc_id) these documents; visible to searches when it returns."""

    @abstractmethod
    def delete_documents(self, doc_ids: list[str]) -> None: ...

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """Hits (stored fields, no snippet yet), the total, facet counts over the whole result set."""

    @abstractmethod
    def get(self, doc_id: str) -> SearchHit | None: ...

    @abstractmethod
    def more_like_this(self, hit: SearchHit, query: SearchQuery) -> SearchResults:
        """Documents whose text resembles `hit`'s, boosted by shared values of the facets compared by
        similarity (registry.Facet.similar) and by a shared département, restricted by `query`'s filters and
        grants."""

    @abstractmethod
    def doc_ids(self) -> set[str]:
        """Every document id in the index (for `search_index --check`)."""

    def doc_count(self) -> int:
        return len(self.doc_ids())

    @abstractmethod
    def clear(self) -> None: ...

    def rebuild(self, progress: Callable[[int], None] | None = None, batch_size: int = 5000) -> tuple[int, Counter]:
        """Empty the index and fill it again with every indexed object of the database; returns the number of
        documents and their words (see vocabulary.count_words)."""
        self.clear()
        words: Counter = Counter()
        batch, n = [], 0
        for doc in (d for k in indexed_kinds().values() for d in k.documents()):
            count_words((doc.title, doc.summary, doc.searched_body), words)
            batch.append(doc)
            if len(batch) >= batch_size:
                n += self._bulk_add(batch)
                batch = []
                if progress:
                    progress(n)
        n += self._bulk_add(batch)
        self.finish_bulk()
        if progress:
            progress(n)
        return n, words

    def _bulk_add(self, docs: list[SearchDocument]) -> int:
        self.index_documents(docs)
        return len(docs)

    def finish_bulk(self) -> None:  # noqa: B027  (optional hook)
        """Commit / optimise after a bulk load."""

    def size_bytes(self) -> int:
        return 0

    # --- browsing: optional (see supports_browse) ----------------------------------------------------

    def browse_page(self, query: SearchQuery) -> BrowsePage:
        """Object ids of `query.offset`…`+limit` in `query.sort` order (one of browse_sorts())."""
        raise NotImplementedError

    def browse_facets(self, query: SearchQuery, fields: Iterable[str], *,
                      ranges: dict[str, list[tuple[int, int]]] | None = None) -> tuple[int, dict]:
        """The number of matches and, per field, the count per value — disjunctive: a field's own filter is
        left out of its counts, so choosing one value does not hide the others. `ranges` asks, per numeric
        field, for the number of matches in each half-open [start, end) range (a list, in order)."""
        raise NotImplementedError

    def browse_grid(self, query: SearchQuery, box: tuple[float, float, float, float], cell: float) -> list[dict]:
        """Matches in `box` (south, west, north, east) grouped on a grid of `cell` degrees aligned on
        (-90, -180): per non-empty cell its indices cy and cx, count n, mean point lat/lon and the
        smallest object id `first`."""
        raise NotImplementedError

    def browse_ids_in_box(self, query: SearchQuery, box: tuple[float, float, float, float],
                          limit: int) -> tuple[list[int], int]:
        """Object ids of at most `limit` matches inside `box` (south, west, north, east, bounds included),
        smallest first, and the number of matches."""
        raise NotImplementedError


RING = 2**32


def ring_position(doc_id_rotation: int, salt: int) -> int:
    """Fair exposure: documents sit on a ring by a hash of their id; the starting point (salt) moves every
    day, so among equal scores a different document comes first each day, deterministically within a day."""
    return (doc_id_rotation - salt) % RING


def fair_order(hits: list[SearchHit], salt: int) -> list[SearchHit]:
    """Reorder hits of equal score (to 5 significant digits) by their ring position; keep score order."""
    from ..documents import rotation_key

    return sorted(hits, key=lambda h: (-float(f"{h.score:.5g}"), ring_position(rotation_key(h.doc_id), salt)))
