"""Embedded Tantivy index under $CATALYSE_DATA_DIR/search-index/ (the default backend).

Tantivy allows one writer per index: writes come from the outbox worker and are serialised across
processes by a file lock; readers in every process reload after each commit. Text fields hold the
terms produced by analysis.py, tokenised by whitespace only, so Tantivy applies no analysis of its own.
"""

from __future__ import annotations

import base64
import concurrent.futures
import contextlib
import dataclasses
import fcntl
import itertools
import json
import math
import os
import re
import tempfile
import threading
from collections import Counter
from json.encoder import encode_basestring
from pathlib import Path

import tantivy
from django.conf import settings

from ..analysis import analysed_text
from ..documents import SearchDocument, rotation_key
from ..rebuild import encoded_documents
from ..registry import Layout, indexed_kinds, layout
from .base import (
    FACET_SIZE,
    RING,
    TIE_WINDOW,
    BrowsePage,
    Clause,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResults,
    bounding_box,
    distance_km,
    facet_names,
    fair_order,
    ring_position,
)

TEXT_FIELDS = (("title", 3.0), ("summary", 1.8), ("body", 1.0))
# SearchDocument lists indexed as is, besides the kinds' keyword fields (SearchDocument.terms).
LIST_FIELDS = ("region", "departement", "territories", "audience", "identifiers")
NEAR_CANDIDATES = 5000
MAX_PHRASE_VARIANTS = 8
MORE_LIKE_THIS_TERMS = 25
SAME_DEPARTEMENT = 1.5  # similar items: the weight of a shared département (registry.Facet.similar for the others)
PREFIX_TERMS = 16  # a prefix matching more terms is a regex query (one bitset) rather than a union of terms
NEEDS_REBUILD = "needs-rebuild"  # marker file: the index was emptied and must be rebuilt from the database
# Bump when the fields below change: an index of another version is emptied on open (then rebuilt). The kinds'
# own fields are versioned by their layout's fingerprint, written next to it.
SCHEMA_VERSION = "8"  # 8: context words, plurals of short words (analysis.term_of)
BROWSE_FACET_SIZE = 200  # every département fits
OBJECT_ID_MASK = (1 << 40) - 1
COMBINATIONS_SIZE = 65536  # every combination is counted (the short lists' combinations are few)
TIES = {"name": ("sort_name", tantivy.Order.Asc), "oid": ("oid", tantivy.Order.Asc)}

Occur = tantivy.Occur


@dataclasses.dataclass(frozen=True)
class _Fields:
    """What the registered kinds' fields mean for this engine, worked out once per layout (not per document)."""

    keywords: tuple[str, ...]  # the kinds' keyword fields and région/département: raw terms, fast
    # Multi-valued facets over short lists of values are also stored as one sorted "a|b" value per document:
    # counting the combinations (a single-valued column, at most a few thousand of them) and adding them up
    # per value is exact, and far cheaper than the engine's multi-valued terms aggregation (for "territoire",
    # half of the 1.1 M documents: trades 18 ms → 0, themes and SDGs together 19 ms → 0).
    combined: frozenset[str]
    similar: tuple[str, ...]  # stored in the payload: "similar items" compares them
    dates: tuple[str, ...]  # unsigned fast fields: date.toordinal(), 0 when unknown (last in descending order)
    # `key` = kind number << 40 | object id: a document's identity as a number, read from a fast field for
    # many hits at once (the stored `id` needs one document fetch each: 40 ms for the 4,000 candidates of a
    # radius).
    numbers: dict[str, int]
    names: dict[int, str]
    # Browse sort → (fast field, order, tie-break fast field, its order).
    orders: dict[str, tuple[str, tantivy.Order, str, tantivy.Order]]
    # Facet → the kinds that fill it: engines need not count it over other kinds.
    kinds_of: dict[str, tuple[str, ...]]
    version: str  # SCHEMA_VERSION and the layout's fingerprint


_fields_cache: tuple[Layout, _Fields] | None = None


def _fields() -> _Fields:
    global _fields_cache
    current = layout()
    if _fields_cache is None or _fields_cache[0] is not current:
        numbers = {k.kind: k.number for k in indexed_kinds().values()}
        orders = {"name": ("sort_name", tantivy.Order.Asc, "oid", tantivy.Order.Asc),
                  "-updated": ("updated", tantivy.Order.Desc, "oid", tantivy.Order.Asc)}
        orders.update({f"-{d.name}": (d.name, tantivy.Order.Desc, *TIES[d.tie]) for d in current.dates})
        _fields_cache = current, _Fields(
            keywords=(*current.names, "region", "departement"),
            combined=frozenset(f.name for f in current.facets if f.short),
            similar=tuple(f.name for f in current.similar), dates=tuple(d.name for d in current.dates),
            numbers=numbers, names={n: k for k, n in numbers.items()}, orders=orders, kinds_of=current.kinds_of,
            version=f"{SCHEMA_VERSION}-{current.fingerprint}",
        )
    return _fields_cache[1]


def _schema() -> tantivy.Schema:
    fields = _fields()
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("kind", tokenizer_name="raw", fast=True, index_option="basic")
    for name, _ in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in fields.keywords:
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in sorted(fields.combined):
        sb.add_text_field(f"{name}_set", tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_text_field("territories", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("audience", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("restricted", tokenizer_name="raw", index_option="basic")  # "1" when not public
    # Numbers are fast fields only: their range queries (box, ring) run on the column, and indexing them
    # as terms as well (a million distinct values each) cost a sixth of the engine's work in a rebuild.
    sb.add_float_field("lat", fast=True)
    sb.add_float_field("lon", fast=True)
    sb.add_unsigned_field("updated", fast=True)
    sb.add_unsigned_field("rot", fast=True)
    sb.add_bytes_field("payload", stored=True)
    # Browse fields: a page of ids is read from `oid` without decoding payloads.
    sb.add_unsigned_field("oid", stored=True, fast=True)
    sb.add_unsigned_field("key", fast=True)
    sb.add_text_field("sort_name", tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_text_field("identifiers", tokenizer_name="raw", index_option="basic")
    for name in fields.dates:
        sb.add_unsigned_field(name, fast=True)
    return sb.build()


_str = encode_basestring  # a str → quoted and escaped for JSON (the json module's C function)


def _strs(values: list[str]) -> str:
    if not values:
        return "[]"
    joined = '","'.join(values)
    # Codes ("region:32", "public", SDG numbers) need no escaping: one join instead of one call per value.
    if joined.isprintable() and '"' not in joined and "\\" not in joined:
        return '["' + joined + '"]'
    return "[" + ",".join(map(encode_basestring, values)) + "]"


def _num(value: float | None) -> str:
    return "null" if value is None else repr(float(value))  # as json.dumps writes a float


def document_json(d: SearchDocument, words_seen: list[str] | None = None) -> str:
    """The document as `IndexWriter.add_json` takes it: one call into the engine rather than one per field
    value, and a str that a rebuild's worker processes pass back cheaply. `words_seen` collects the words of
    its text (see analysed_text).

    Written with f-strings rather than json.dumps: the keys are constants and only the values need encoding,
    which halves the cost of the step that dominates a rebuild's work per document."""
    f = _fields()
    terms = d.terms
    updated = d.updated_at.timestamp() if d.updated_at else 0
    lat, lon = _num(d.lat), _num(d.lon)
    similar = ",".join(f'"{name}":{_strs(terms.get(name) or [])}' for name in f.similar)
    payload = (
        f'{{"kind":{_str(d.kind)},"title":{_str(d.title)},"url":{_str(d.url)},"summary":{_str(d.summary)},'
        f'"body":{_str(d.body)},"terms":{{{similar}}},'
        f'"territories":{_strs(d.territories)},"lat":{lat},"lon":{lon},"updated":{int(updated)}}}'
    )
    fields = [
        f'"id":{_str(d.doc_id)},"kind":{_str(d.kind)},"title":{_str(analysed_text(d.title, words_seen))},'
        f'"summary":{_str(analysed_text(d.summary, words_seen))},'
        f'"body":{_str(analysed_text(d.searched_body, words_seen))},'
        # Microseconds, as the database orders them (several saves may fall within one second).
        f'"updated":{int(updated * 1e6)},"rot":{rotation_key(d.doc_id)},"oid":{d.object_id},'
        f'"key":{f.numbers[d.kind] << 40 | d.object_id},"sort_name":{_str(d.sort_name)},'
        # JSON carries a bytes field as base64.
        f'"payload":"{base64.b64encode(payload.encode()).decode("ascii")}"'
    ]
    fields += (f'"{name}":{value.toordinal() if value else 0}' for name, value in d.dates.items())
    # An empty list adds nothing: left out.
    fields += (f'"{name}":{_strs(values)}' for name in LIST_FIELDS if (values := getattr(d, name)))
    fields += (f'"{name}":{_strs(values)}' for name, values in terms.items() if values)
    fields += (f'"{name}_set":{_str("|".join(sorted(set(values))))}' for name, values in terms.items()
               if values and name in f.combined)
    if "public" not in d.audience:
        fields.append('"restricted":"1"')
    if d.lat is not None and d.lon is not None:
        fields.append(f'"lat":{lat},"lon":{lon}')
    return "{" + ",".join(fields) + "}"


_lock = threading.Lock()
# One extra thread per process for facet counting (see _facets_start): the machine's second core.
_facet_pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="facets")
_indexes: dict[str, TantivyBackend] = {}


def index_dir() -> Path:
    configured = getattr(settings, "CATALYSE_SEARCH_INDEX_DIR", None)
    if configured:
        return Path(configured)
    if settings.TESTING:  # other apps' tests that commit must not write into the data directory
        return Path(tempfile.gettempdir()) / f"catalyse-test-search-index-{os.getpid()}"
    return settings.DATA_DIR / "search-index"


def _terms_request(fields, size: int) -> dict:
    """Terms aggregations of `fields`, the combined ones through their combination column."""
    combined = _fields().combined
    return {f: {"terms": {"field": f"{f}_set", "size": COMBINATIONS_SIZE}} if f in combined
            else {"terms": {"field": f, "size": size}} for f in fields}


def _terms_read(raw: dict, fields) -> dict[str, dict[str, int]]:
    """{field: {value: count}} from the answer to _terms_request."""
    combined = _fields().combined
    out = {}
    for f in fields:
        buckets = raw.get(f, {}).get("buckets", [])
        if f in combined:
            counts: dict[str, int] = {}
            for b in buckets:
                for v in b["key"].split("|"):
                    counts[v] = counts.get(v, 0) + b["doc_count"]
            out[f] = counts
        else:
            out[f] = {b["key"]: b["doc_count"] for b in buckets}
    return out


class TantivyBackend(SearchBackend):
    name = "tantivy"

    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        self.version = _fields().version
        version = path / "schema-version"
        if (path / "meta.json").exists() and (not version.exists() or version.read_text() != self.version):
            # Written with other fields: Tantivy cannot open it with this schema. Start empty and say so:
            # pages read the database until `search_index --rebuild` (or --ensure) fills it again.
            for p in path.iterdir():
                if p.is_file() and p.name != ".writer.lock":
                    p.unlink()
            (path / NEEDS_REBUILD).write_text("schema changed\n")
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        version.write_text(self.version)
        self._bulk_writer = None

    @classmethod
    def for_settings(cls) -> TantivyBackend:
        path = index_dir()
        with _lock:
            backend = _indexes.get(str(path))
            if backend is None or backend.version != _fields().version:  # a kind was (un)registered since
                backend = _indexes[str(path)] = cls(path)
            return backend

    # --- writing -------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _writer(self, heap: int = 64_000_000, threads: int = 1):
        with open(self.path / ".writer.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one writer across processes
            writer = self.index.writer(heap, threads)
            try:
                yield writer
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
        self.index.reload()

    def index_documents(self, docs: list[SearchDocument]) -> None:
        if not docs:
            return
        with self._writer() as w:
            for d in docs:
                w.delete_documents_by_term("id", d.doc_id)
                w.add_json(document_json(d))

    def delete_documents(self, doc_ids: list[str]) -> None:
        if not doc_ids:
            return
        with self._writer() as w:
            for i in doc_ids:
                w.delete_documents_by_term("id", i)

    def clear(self) -> None:
        with self._writer() as w:
            w.delete_all_documents()

    def rebuild(self, progress=None) -> tuple[int, Counter]:
        """Worker processes build and encode the documents (rebuild.py); this process only adds them, and
        the writer's threads index them."""
        words: Counter = Counter()
        n = 0
        with encoded_documents(document_json) as parts, self._writer(heap=512_000_000, threads=2) as w:
            w.delete_all_documents()
            for docs, part_words in parts:
                for doc in docs:
                    w.add_json(doc)
                words.update(part_words)
                n += len(docs)
                if progress:
                    progress(n)
        (self.path / NEEDS_REBUILD).unlink(missing_ok=True)
        return n, words

    @property
    def needs_rebuild(self) -> bool:
        return (self.path / NEEDS_REBUILD).exists()

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())

    # --- reading -------------------------------------------------------------------------------------

    def _term_or_prefix(self, field: str, term: str, prefix: bool, besides: set[str]) -> tantivy.Query | None:
        """A term, or the terms starting with `term` other than `besides` (None when there are none).

        When the prefix covers one of the clause's exact terms (the derived forms of a word: "territoire" →
        `territoir`, and `territo*`) and matches few terms, it becomes the union of the other terms' posting
        lists, scored like the regex query (a constant): walking `territoir` a second time inside the prefix
        was a third of the search at scale, and a document with the word itself no longer gets the derived
        forms' bonus on top. Other prefixes stay regex queries (one bitset: cheaper than a union of terms)."""
        if not prefix:
            return tantivy.Query.term_query(self.schema, field, term)
        regex = tantivy.Query.regex_query(self.schema, field, re.escape(term) + ".*")
        if not any(b.startswith(term) for b in besides):
            return regex
        terms = self.index.searcher().terms_with_prefix(field, term, limit=PREFIX_TERMS + 1)
        if len(terms) > PREFIX_TERMS:
            return regex
        others = [t for t, _ in terms if t not in besides]
        if not others:
            return None
        return tantivy.Query.const_score_query(tantivy.Query.boolean_query(
            [(Occur.Should, tantivy.Query.term_query(self.schema, field, t)) for t in others]), 1.0)

    def _clause(self, clause: Clause, fields=TEXT_FIELDS) -> tantivy.Query:
        subs = []
        if clause.phrase:
            variants = itertools.islice(itertools.product(*clause.phrase), MAX_PHRASE_VARIANTS)
            for words in variants:
                for field, boost in fields:
                    q = tantivy.Query.phrase_query(self.schema, field, list(words))
                    subs.append((Occur.Should, tantivy.Query.boost_query(q, boost)))
        exact = {a.term for a in clause.alts if not a.prefix}
        for alt in clause.alts:
            for field, boost in fields:
                q = self._term_or_prefix(field, alt.term, alt.prefix, exact)
                if q is not None:
                    subs.append((Occur.Should, tantivy.Query.boost_query(q, boost * alt.boost)))
        return tantivy.Query.boolean_query(subs)

    def _filters(self, query: SearchQuery) -> list[tuple]:
        out = []

        def must(q):
            out.append((Occur.Must, tantivy.Query.const_score_query(q, 0.0)))

        for field, values in query.filters.items():
            if len(values) == 1:  # a posting list to skip through; a term set first fills a bitset of the index
                must(tantivy.Query.term_query(self.schema, field, values[0]))
            elif values:
                must(tantivy.Query.term_set_query(self.schema, field, list(values)))
        if query.grants is not None and "public" in query.grants:
            # Nearly every document is public: rather than intersect each match with the posting list of
            # "public" (as long as the index), exclude the restricted documents none of the grants opens —
            # short lists, skipped through cheaply.
            hidden = tantivy.Query.term_query(self.schema, "restricted", "1")
            others = [g for g in query.grants if g != "public"]
            if others:
                opened = tantivy.Query.term_set_query(self.schema, "audience", others)
                hidden = tantivy.Query.boolean_query([(Occur.Must, hidden), (Occur.MustNot, opened)])
            out.append((Occur.MustNot, hidden))
        elif query.grants is not None:
            must(tantivy.Query.term_set_query(self.schema, "audience", list(query.grants)))
        if query.near:
            lat0, lat1, lon0, lon1 = bounding_box(*query.near)
            must(tantivy.Query.range_query(self.schema, "lat", tantivy.FieldType.Float, lat0, lat1))
            must(tantivy.Query.range_query(self.schema, "lon", tantivy.FieldType.Float, lon0, lon1))
        for term in query.excluded:
            for field, _ in TEXT_FIELDS:
                out.append((Occur.MustNot, tantivy.Query.term_query(self.schema, field, term)))
        if query.exclude_doc_ids:
            out.append((Occur.MustNot, tantivy.Query.term_set_query(self.schema, "id", query.exclude_doc_ids)))
        return out

    def _query(self, query: SearchQuery, text: tantivy.Query | None = None) -> tantivy.Query:
        subs = [(Occur.Must, self._clause(c)) for c in query.clauses]
        if text is not None:
            subs.append((Occur.Must, text))
        if not subs:
            subs.append((Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(subs + self._filters(query))

    def _hit(self, searcher, score: float, addr) -> SearchHit:
        doc = searcher.doc(addr)
        p = json.loads(bytes(doc.get_first("payload")))
        return SearchHit(
            doc_id=doc.get_first("id"), kind=p["kind"], title=p["title"], url=p["url"], summary=p["summary"],
            body=p["body"], score=float(score), updated_ts=p["updated"], lat=p["lat"], lon=p["lon"],
            terms=p["terms"], territories=p["territories"],
        )

    def _facets_start(self, searcher, q: tantivy.Query, kinds: list[str] | None = None):
        """Start counting the facets on the other core (the engine releases the GIL) while this thread ranks
        the hits; returns a function giving them. Facets that only other kinds than the filtered ones fill are
        not counted: reading an empty column still costs per matching document. One aggregation for every
        facet: each aggregation walks the matches again, which costs more than counting most columns."""
        kinds_of = _fields().kinds_of
        names = facet_names()
        wanted = [f for f in names if not (kinds and f in kinds_of and not set(kinds) & set(kinds_of[f]))]
        counting = _facet_pool.submit(lambda: _terms_read(searcher.aggregate(q, _terms_request(wanted, FACET_SIZE)),
                                                          wanted))

        def finish() -> dict[str, list[tuple[str, int]]]:
            counts = counting.result()
            return {f: sorted(counts.get(f, {}).items(), key=lambda x: (-x[1], x[0]))[:FACET_SIZE] for f in names}

        return finish

    def _facets(self, searcher, q: tantivy.Query, kinds: list[str] | None = None) -> dict[str, list[tuple[str, int]]]:
        return self._facets_start(searcher, q, kinds)()

    def search(self, query: SearchQuery, text: tantivy.Query | None = None) -> SearchResults:
        searcher = self.index.searcher()
        q = self._query(query, text)
        if query.near:
            return self._search_near(searcher, q, query)
        facets = self._facets_start(searcher, q, query.filters.get("kind")) if query.with_facets else dict
        # With facets, the kind counts add up to the total: the ranking need not count the matches too.
        count = not query.with_facets
        if query.sort == "recency":
            res = searcher.search(q, query.limit, count=count, offset=query.offset, order_by_field="updated")
            hits = [self._hit(searcher, 0.0, a) for _, a in res.hits]
            total = res.count
        elif query.is_match_all and text is None:
            hits, total = self._ring_page(searcher, q, query)
        else:
            res = searcher.search(q, query.offset + query.limit + TIE_WINDOW, count=count)
            # Fair exposure from the `rot` fast field: only the page's documents are loaded.
            rots = searcher.fast_field_values("rot", [a for _, a in res.hits])
            ranked = sorted(zip(res.hits, rots, strict=True),
                            key=lambda x: (-float(f"{x[0][0]:.5g}"), ring_position(x[1], query.rotation_salt)))
            page = ranked[query.offset:query.offset + query.limit]
            hits, total = [self._hit(searcher, sc, a) for (sc, a), _ in page], res.count
        counts = facets()
        if query.with_facets:
            total = sum(n for _, n in counts["kind"])
        return SearchResults(hits=hits, total=total, facets=counts)

    def _ring_page(self, searcher, q, query: SearchQuery) -> tuple[list[SearchHit], int]:
        """All scores are equal (no words): walk the fair-exposure ring from today's salt, in the engine."""
        salt = query.rotation_salt % RING
        after = tantivy.Query.range_query(self.schema, "rot", tantivy.FieldType.Unsigned, salt, RING - 1)
        q_after = tantivy.Query.boolean_query([(Occur.Must, q), (Occur.Must, after)])
        q_before = tantivy.Query.boolean_query([(Occur.Must, q), (Occur.MustNot, after)])
        first = searcher.search(q_after, query.limit, offset=query.offset, order_by_field="rot",
                                order=tantivy.Order.Asc)
        hits = [self._hit(searcher, 1.0, a) for _, a in first.hits]
        if len(hits) < query.limit:
            rest = searcher.search(q_before, query.limit - len(hits), offset=max(0, query.offset - first.count),
                                   order_by_field="rot", order=tantivy.Order.Asc)
            hits += [self._hit(searcher, 1.0, a) for _, a in rest.hits]
            total = first.count + rest.count
        else:
            total = first.count + searcher.search(q_before, 1).count
        return hits, total

    def _search_near(self, searcher, q, query: SearchQuery) -> SearchResults:
        """The engine filters on the bounding square; the exact circle is applied to the candidates
        (at most NEAR_CANDIDATES, the best-scored), and facets are counted on exactly those kept."""
        lat, lon, radius = query.near
        res = searcher.search(q, NEAR_CANDIDATES)
        addrs = [a for _, a in res.hits]
        lats = searcher.fast_field_values("lat", addrs)
        lons = searcher.fast_field_values("lon", addrs)
        kept = []
        for (score, addr), la, lo in zip(res.hits, lats, lons, strict=True):
            if la is None or lo is None:
                continue
            d = distance_km(lat, lon, la, lo)
            if d <= radius:
                kept.append((score, d, addr))
        if query.sort == "distance":
            kept.sort(key=lambda k: k[1])
        elif query.sort == "recency":
            upd = dict(zip([id(a) for _, _, a in kept],
                           searcher.fast_field_values("updated", [a for _, _, a in kept]), strict=True))
            kept.sort(key=lambda k: -(upd[id(k[2])] or 0))
        page = kept[query.offset:query.offset + query.limit]
        hits = []
        for score, d, addr in page:
            h = self._hit(searcher, score, addr)
            h.distance_km = d
            hits.append(h)
        if query.sort == "relevance":
            hits = fair_order(hits, query.rotation_salt)
        counts = {}
        if query.with_facets:
            names = _fields().names
            ids = [f"{names[k >> 40]}:{k & OBJECT_ID_MASK}"
                   for k in searcher.fast_field_values("key", [a for _, _, a in kept])]
            counts = self._facets(searcher, tantivy.Query.term_set_query(self.schema, "id", ids),
                                  query.filters.get("kind")) if ids else {f: [] for f in facet_names()}
        return SearchResults(hits=hits, total=len(kept), facets=counts)

    def get(self, doc_id: str) -> SearchHit | None:
        searcher = self.index.searcher()
        res = searcher.search(tantivy.Query.term_query(self.schema, "id", doc_id), 1)
        return self._hit(searcher, 0.0, res.hits[0][1]) if res.hits else None

    def more_like_this(self, hit: SearchHit, query: SearchQuery) -> SearchResults:
        # The source's most telling terms (tf·idf), searched as ordinary term queries. Tantivy's own
        # MoreLikeThis query panics while a term's document frequency still counts deleted documents that no
        # merge has removed yet (frequency above the number of live documents): after any update of a document.
        searcher = self.index.searcher()
        live = max(searcher.num_docs, 1)
        weighted = []
        for name, boost in TEXT_FIELDS:
            for term, tf in Counter(analysed_text(getattr(hit, name)).split()).items():
                if frequency := min(searcher.doc_freq(name, term), live):
                    weighted.append((tf * math.log(1 + live / frequency), name, term, boost))
        subs = [(Occur.Should, tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, name, term), boost))
                for _, name, term, boost in sorted(weighted, reverse=True)[:MORE_LIKE_THIS_TERMS]]
        compared = [(f.name, hit.terms.get(f.name, []), f.similar) for f in layout().similar]
        for field, values, boost in (*compared, ("territories", [t for t in hit.territories if t.startswith("dep")],
                                                  SAME_DEPARTEMENT)):
            if values:
                subs.append((Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.term_set_query(self.schema, field, values), boost)))
        return self.search(query, text=tantivy.Query.boolean_query(subs))

    def doc_count(self) -> int:
        return self.index.searcher().num_docs

    def doc_ids(self) -> set[str]:
        searcher = self.index.searcher()
        res = searcher.search(tantivy.Query.all_query(), max(1, searcher.num_docs))
        return {searcher.doc(a).get_first("id") for _, a in res.hits}

    # --- browsing: the directory, the initiatives list and the map ----------------------------------

    supports_browse = True

    def _browse_query(self, query: SearchQuery) -> tantivy.Query:
        text = []
        if query.clauses:
            fields = TEXT_FIELDS[:1] if query.title_only else TEXT_FIELDS
            text.append((Occur.Should, tantivy.Query.boolean_query(
                [(Occur.Must, self._clause(c, fields)) for c in query.clauses])))
        if query.identifier:
            text.append((Occur.Should, tantivy.Query.term_query(self.schema, "identifiers", query.identifier)))
        words = tantivy.Query.boolean_query(text) if text else None
        return self._query(dataclasses.replace(query, clauses=[]), words)

    def _equal(self, field: str, value) -> tantivy.Query:
        if isinstance(value, str):
            return tantivy.Query.term_query(self.schema, field, value)
        return tantivy.Query.range_query(self.schema, field, tantivy.FieldType.Unsigned, value, value)

    def browse_page(self, query: SearchQuery) -> BrowsePage:
        """Tantivy orders by one fast field; documents sharing a sort key are re-read ordered by the
        tie-break field, but only for keys whose run may cross the page's edges or holds several
        documents of the page (usually the first and last key: two small extra searches)."""
        searcher = self.index.searcher()
        q = self._browse_query(query)
        field, order, tie, tie_order = _fields().orders[query.sort]
        if query.limit <= 0:  # Tantivy refuses an empty top-n
            return BrowsePage(ids=[], total=searcher.search(q, 1).count)
        res = searcher.search(q, query.offset + query.limit, order_by_field=field, order=order)
        keys = [k for k, _ in res.hits]
        window = list(zip(keys[query.offset:], (a for _, a in res.hits[query.offset:]), strict=True))
        distinct = list(dict.fromkeys(k for k, _ in window))
        addrs = []
        for n, key in enumerate(distinct):
            slots = [a for k, a in window if k == key]
            if len(slots) == 1 and 0 < n < len(distinct) - 1:
                addrs += slots  # alone under its key and inside the page: nothing to tie-break
                continue
            before = keys.index(key)  # documents ordered before this key (the engine orders keys exactly)
            equal = tantivy.Query.boolean_query([(Occur.Must, q), (Occur.Must, self._equal(field, key))])
            tied = searcher.search(equal, len(slots), offset=max(0, query.offset - before), order_by_field=tie,
                                   order=tie_order)
            addrs += [a for _, a in tied.hits]
        return BrowsePage(ids=[int(i) for i in searcher.fast_field_values("oid", addrs)], total=res.count)

    def browse_facets(self, query: SearchQuery, fields, *, ranges=None) -> tuple[int, dict]:
        searcher = self.index.searcher()
        fields = list(fields)
        own = [f for f in fields if query.filters.get(f)]
        rounds = [([f for f in fields if f not in own], query)]
        rounds += [([f], dataclasses.replace(query, filters={k: v for k, v in query.filters.items() if k != f}))
                   for f in own]
        total, counts = 0, {}
        for n, (names, q) in enumerate(rounds):
            aggs = _terms_request(names, BROWSE_FACET_SIZE)
            if n == 0:  # the first round has every filter: its match count is the listing's total
                aggs["_total"] = {"value_count": {"field": "oid"}}
                for f, bounds in (ranges or {}).items():
                    aggs[f"_ranges_{f}"] = {"range": {"field": f, "ranges": [
                        {"key": str(i), "from": start, "to": end} for i, (start, end) in enumerate(bounds)]}}
            raw = searcher.aggregate(self._browse_query(q), aggs)
            if n == 0:
                total = int(raw["_total"]["value"] or 0)
                for f, bounds in (ranges or {}).items():
                    found = {b["key"]: b["doc_count"] for b in raw[f"_ranges_{f}"]["buckets"]}
                    counts[f] = [found.get(str(i), 0) for i in range(len(bounds))]
            counts.update(_terms_read(raw, names))
        return total, counts

    def _in_box(self, query: SearchQuery, box, *, include_upper: bool) -> tantivy.Query:
        south, west, north, east = box
        return tantivy.Query.boolean_query([
            (Occur.Must, self._browse_query(query)),
            (Occur.Must, tantivy.Query.range_query(self.schema, "lat", tantivy.FieldType.Float, south, north,
                                                   include_upper=include_upper)),
            (Occur.Must, tantivy.Query.range_query(self.schema, "lon", tantivy.FieldType.Float, west, east,
                                                   include_upper=include_upper)),
        ])

    def browse_ids_in_box(self, query: SearchQuery, box, limit: int) -> tuple[list[int], int]:
        searcher = self.index.searcher()
        res = searcher.search(self._in_box(query, box, include_upper=True), limit, order_by_field="oid",
                              order=tantivy.Order.Asc)
        return [int(oid) for oid, _ in res.hits], res.count

    def browse_grid(self, query: SearchQuery, box, cell: float) -> list[dict]:
        searcher = self.index.searcher()
        # 90 and 180 are whole multiples of every cell size used (90 / 2**zoom): histogram buckets
        # starting at 0 are the grid's cells.
        cells = {"histogram": {"field": "lon", "interval": cell, "min_doc_count": 1}, "aggs": {
            "lat": {"avg": {"field": "lat"}}, "lon": {"avg": {"field": "lon"}}, "first": {"min": {"field": "oid"}}}}
        raw = searcher.aggregate(self._in_box(query, box, include_upper=False), {"rows": {
            "histogram": {"field": "lat", "interval": cell, "min_doc_count": 1}, "aggs": {"cells": cells}}})
        return [
            {"cy": round((row["key"] + 90) / cell), "cx": round((c["key"] + 180) / cell), "n": c["doc_count"],
             "lat": c["lat"]["value"], "lon": c["lon"]["value"], "first": int(c["first"]["value"])}
            for row in raw["rows"]["buckets"] for c in row["cells"]["buckets"]
        ]
