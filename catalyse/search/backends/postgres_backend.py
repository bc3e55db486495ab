"""PostgreSQL full-text backend, for deployments with several application servers.

Same documents, same analysed terms as Tantivy (analysis.py), stored in `search_pg_document` (created by
migration 0002): a tsvector with weights A (title), B (summary), C (body) under a GIN index, text arrays for
facets and filters, and the audience array that the grants filter matches inside the SQL query. A facet that
a registered kind declares gets its own column (and GIN index) from `add_declared_columns`, run after
`migrate`.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from functools import cache

from django.conf import settings
from django.db import connection, connections, transaction

from ..analysis import analyse, analysed_text
from ..documents import SearchDocument, rotation_key
from ..registry import Layout, layout
from .base import (
    FACET_SIZE,
    RING,
    TIE_WINDOW,
    Clause,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResults,
    facet_names,
    ring_position,
)

CORE_ARRAYS = ("region", "departement", "territories", "audience")
WEIGHTS = "{0.1, 0.3, 0.6, 1.0}"  # D, C (body), B (summary), A (title)
VECTOR_SQL = ("setweight(to_tsvector('catalyse_terms', %s), 'A') || setweight(to_tsvector('catalyse_terms', %s), 'B')"
              " || setweight(to_tsvector('catalyse_terms', %s), 'C')")
DISTANCE_SQL = ("(12742.0 * asin(sqrt(power(sin(radians(lat - %s) / 2), 2) + cos(radians(%s)) * cos(radians(lat))"
                " * power(sin(radians(lon - %s) / 2), 2))))")
MLT_TERMS = 25
# "Similar items": ts_rank is about a tenth of Tantivy's scores, so are the bonuses of shared values
# (registry.Facet.similar / 10); a shared département weighs 0.15.
SIMILAR_SCALE = 0.1
SAME_DEPARTEMENT = 0.15
# Result sets above the exact limit: candidates read per tier (ring walk, title walk) before ranking.
CANDIDATES = 500
# A candidate tier holding at least this share of all documents is walked in `rot` order (n / share rows read).
WALK_SHARE = 0.02
# SQL below is assembled from the constant column names above only; every value goes through parameters.


def _quote(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"


def _alt(term: str, prefix: bool) -> str:
    return _quote(term) + (":*" if prefix else "")


def _clause_tsquery(clause: Clause, main_only: bool = False) -> str:
    parts = []
    if clause.phrase:
        parts.append(" <-> ".join("(" + " | ".join(_quote(t) for t in pos) + ")" for pos in clause.phrase))
    alts = clause.alts[:1] if main_only else clause.alts
    parts += [_alt(a.term, a.prefix) for a in alts]
    return "(" + " | ".join(parts) + ")"


def _words(query: SearchQuery) -> str:
    """The tsquery of the words and phrases alone (no exclusions)."""
    return " & ".join(_clause_tsquery(c) for c in query.clauses)


def _ring(query: SearchQuery) -> str:
    """The fair-exposure ring position of a row (base.ring_position), as SQL."""
    salt = query.rotation_salt % RING
    return f"mod(mod(rot - {salt}, {RING}) + {RING}, {RING})"


@dataclasses.dataclass(frozen=True)
class _Statements:
    """SQL for the registered kinds' facets, assembled once per layout from their declared (checked) names."""

    arrays: tuple[str, ...]  # the facets' columns and the core arrays, in the INSERT's order
    facet_columns: str  # the facets' columns, kind excluded
    facets_sql: str  # facet counts over the matches `m`, as rows (facet, value, count, NULL, NULL)
    similar: tuple[str, ...]
    hit_columns: str
    insert: str


@cache
def _statements(current: Layout) -> _Statements:
    names = facet_names()
    arrays = (*(f.name for f in current.offered), *CORE_ARRAYS)
    similar = tuple(f.name for f in current.similar)
    columns = ("kind", "title", "url", "summary", "body", "vector", *arrays, "lat", "lon", "updated", "rot")
    return _Statements(
        arrays=arrays, facet_columns=", ".join(f for f in names if f != "kind"),
        # `kind` also gives the total.
        facets_sql=" UNION ALL ".join(
            ["SELECT 'kind', kind, count(*), NULL, NULL FROM m GROUP BY kind"]
            + [f"(SELECT '{f}', v, count(*), NULL, NULL FROM m, unnest(m.{f}) v GROUP BY v "  # noqa: S608
               f"ORDER BY 3 DESC LIMIT {FACET_SIZE})" for f in names if f != "kind"]),
        similar=similar,
        hit_columns=", ".join(("doc_id", "kind", "title", "url", "summary", "body", "updated", "lat", "lon",
                               *similar, "territories")),
        insert=(
            "INSERT INTO search_pg_document (doc_id, kind, title, url, summary, body, vector, "  # noqa: S608
            + ", ".join(arrays) + ", lat, lon, updated, rot) VALUES (%s, %s, %s, %s, %s, %s, " + VECTOR_SQL + ", "
            + ", ".join(["%s"] * len(arrays)) + ", %s, %s, %s, %s) ON CONFLICT (doc_id) DO UPDATE SET "
            + ", ".join(f"{c} = EXCLUDED.{c}" for c in columns)
        ),
    )


def _sql() -> _Statements:
    return _statements(layout())


def add_declared_columns(using: str = "default", **kwargs) -> None:
    """After `migrate`: a column (and its GIN index) for each facet a registered kind declares that the table
    lacks. Migration 0002 created those of the first kinds; the GIN index of 0003 covers them."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as c:
        c.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'search_pg_document'")
        existing = {row[0] for row in c.fetchall()}
        if not existing:
            return
        for name in (f.name for f in layout().offered if f.name not in existing):
            # Names are checked identifiers (registry.layout).
            c.execute(f"ALTER TABLE search_pg_document ADD COLUMN {name} text[] NOT NULL DEFAULT '{{}}'")
            c.execute(f"CREATE INDEX search_pg_document_{name} ON search_pg_document USING gin ({name})")


def _counts(rows, with_facets: bool, scale: float = 1.0) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The total and the facets from the count rows of a search; counted on a sample when `scale` > 1, and
    then rounded to two significant digits (they are not more precise than that)."""
    def size(n: int) -> int:
        return n if scale == 1.0 else int(float(f"{n * scale:.2g}"))

    facets: dict[str, list[tuple[str, int]]] = {f: [] for f in facet_names()}
    total = 0
    for part, value, n, _, _ in rows:
        if part == "total":
            total = size(n)
        elif part in facets:
            facets[part].append((value, n))
    if not with_facets:
        return total, {}
    total = size(sum(n for _, n in facets["kind"]))
    for values in facets.values():
        values.sort(key=lambda x: (-x[1], x[0]))
        values[:] = [(v, size(n)) for v, n in values]
    return total, facets


class PostgresBackend(SearchBackend):
    name = "postgres"

    # --- writing -------------------------------------------------------------------------------------

    @staticmethod
    def _row(d: SearchDocument, arrays: tuple[str, ...]) -> list:
        values = {"region": d.region, "departement": d.departement, "territories": d.territories,
                  "audience": d.audience, **d.terms}
        return [
            d.doc_id, d.kind, d.title, d.url, d.summary, d.body,
            analysed_text(d.title), analysed_text(d.summary), analysed_text(d.searched_body),
            *(values.get(a, []) for a in arrays), d.lat, d.lon,
            int(d.updated_at.timestamp()) if d.updated_at else 0, rotation_key(d.doc_id),
        ]

    def index_documents(self, docs: list[SearchDocument]) -> None:
        if not docs:
            return
        sql = _sql()
        with transaction.atomic(), connection.cursor() as c:
            c.executemany(sql.insert, [self._row(d, sql.arrays) for d in docs])

    def delete_documents(self, doc_ids: list[str]) -> None:
        if doc_ids:
            with connection.cursor() as c:
                c.execute("DELETE FROM search_pg_document WHERE doc_id = ANY(%s)", [list(doc_ids)])

    def clear(self) -> None:
        with connection.cursor() as c:
            c.execute("TRUNCATE search_pg_document")

    def finish_bulk(self) -> None:
        # Back in `rot` order (migration 0003): the sample that estimates large counts is then contiguous.
        with connection.cursor() as c:
            c.execute("CLUSTER search_pg_document USING search_pg_document_rot")
            c.execute("ANALYZE search_pg_document")

    def size_bytes(self) -> int:
        with connection.cursor() as c:
            c.execute("SELECT pg_total_relation_size('search_pg_document')")
            return c.fetchone()[0]

    # --- reading -------------------------------------------------------------------------------------

    def _where(self, query: SearchQuery, tsq: str | None) -> tuple[str, list]:
        conds, params = [], []
        if tsq:
            conds.append("vector @@ %s::tsquery")
            params.append(tsq)
        for field, values in query.filters.items():
            if not values:
                continue
            if field == "kind":
                conds.append("kind = ANY(%s)")
            else:
                conds.append(f"{field} && %s::text[]")
            params.append(list(values))
        if query.grants is not None:
            conds.append("audience && %s::text[]")
            params.append(list(query.grants))
        if query.near:
            lat, lon, radius = query.near
            from .base import bounding_box

            lat0, lat1, lon0, lon1 = bounding_box(lat, lon, radius)
            conds.append("lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s AND " + DISTANCE_SQL + " <= %s")
            params += [lat0, lat1, lon0, lon1, lat, lat, lon, radius]
        if query.exclude_doc_ids:
            conds.append("doc_id <> ALL(%s)")
            params.append(list(query.exclude_doc_ids))
        return (" AND ".join(conds) or "TRUE"), params

    def _tsqueries(self, query: SearchQuery) -> tuple[str | None, str | None]:
        if not query.clauses:
            neg = " & ".join("!" + _quote(t) for t in query.excluded)
            return (neg or None), None
        full = " & ".join(_clause_tsquery(c) for c in query.clauses)
        main = " & ".join(_clause_tsquery(c, main_only=True) for c in query.clauses)
        if query.excluded:
            full += " & " + " & ".join("!" + _quote(t) for t in query.excluded)
        return full, main

    def search(self, query: SearchQuery, mlt: tuple[str, str, list] | None = None) -> SearchResults:
        tsq, main = self._tsqueries(query)
        where, params = self._where(query, tsq)
        if mlt:
            cond, rank_sql, rank_params = mlt
            return self._search_all(query, f"({where}) AND ({cond})", params + rank_params, rank_sql, rank_params)
        rank_sql, rank_params = self._rank(tsq, main)
        # JIT compilation (on by default) costs 30–50 ms on plans the planner believes large; these are not.
        with transaction.atomic(), connection.cursor() as c:
            c.execute("SET LOCAL jit = off")
            sample = self._sample(c, query, where, params)
            if not self._is_large(c, sample, where, params):
                return self._search_all(query, where, params, rank_sql, rank_params)
            return self._search_large(c, query, main, where, params, rank_sql, rank_params, sample)

    @staticmethod
    def _sample(c, query: SearchQuery, where: str, params: list) -> list[tuple]:
        """Count rows (total, and facets when asked) of the matches within the uniform sample
        `rot < fraction × 2³²`, which the `rot` order of the table keeps in a few contiguous pages; with words,
        also how many of those hold them all in their title (the title tier's size)."""
        sql = _sql()
        in_title, title_params = ("ts_filter(vector, '{a}') @@ %s::tsquery", [_words(query)]) if query.clauses \
            else ("FALSE", [])
        c.execute(f"WITH m AS MATERIALIZED (SELECT kind, {sql.facet_columns}, {in_title} AS in_title "  # noqa: S608
                  f"FROM search_pg_document WHERE {where} AND rot < %s) "
                  "SELECT 'title', NULL, count(*) FILTER (WHERE in_title), NULL, NULL FROM m UNION ALL "
                  + (sql.facets_sql if query.with_facets else "SELECT 'total', NULL, count(*), NULL, NULL FROM m"),
                  title_params + params + [int(settings.CATALYSE_SEARCH_SAMPLE_FRACTION * RING)])
        return c.fetchall()

    @staticmethod
    def _is_large(c, sample: list[tuple], where: str, params: list) -> bool:
        """More matches than the exact limit? The sample answers when it is clear (an estimate under half
        or over 1.5 times the limit: with the default sample, a set under the limit reaches that estimate
        about once in 10⁵); otherwise the matches are counted, up to the limit."""
        exact_limit = settings.CATALYSE_SEARCH_EXACT_LIMIT
        in_sample = sum(n for part, _, n, _, _ in sample if part in ("kind", "total"))
        estimate = in_sample / settings.CATALYSE_SEARCH_SAMPLE_FRACTION
        if estimate < exact_limit / 2 or estimate > exact_limit * 1.5:
            return estimate > exact_limit
        c.execute(f"SELECT count(*) FROM (SELECT 1 FROM search_pg_document WHERE {where} LIMIT %s) s",  # noqa: S608
                  params + [exact_limit + 1])
        return c.fetchone()[0] > exact_limit

    @staticmethod
    def _rank(tsq: str | None, main: str | None) -> tuple[str, list]:
        if not main:
            return "0", []
        rank_sql, rank_params = f"ts_rank('{WEIGHTS}', vector, %s::tsquery)", [main]
        if main != tsq:  # alternatives (accent-free, derived, corrected) count for less
            rank_sql += f" + 0.3 * ts_rank('{WEIGHTS}', vector, %s::tsquery)"
            rank_params.append(tsq)
        return rank_sql, rank_params

    @staticmethod
    def _distance(query: SearchQuery) -> tuple[str, list]:
        if query.near:
            return DISTANCE_SQL, [query.near[0], query.near[0], query.near[1]]
        return "NULL::float8", []

    def _search_all(self, query: SearchQuery, where: str, params: list, rank_sql: str,
                    rank_params: list) -> SearchResults:
        """Exact: every match is ranked and counted."""
        dist_sql, dist_params = self._distance(query)
        order = {
            "relevance": f"round(score::numeric, 5) DESC, {_ring(query)}",
            "recency": "updated DESC, doc_id",
            "distance": "dist ASC, doc_id",
        }[query.sort]
        # One scan of the matches per search: each is ranked once into `m`, and the page, the total and
        # the facet counts are all read from it (they were two or three scans of the table).
        statements = _sql()
        facet_columns = ", " + statements.facet_columns if query.with_facets else ""
        sql = (f"WITH m AS MATERIALIZED (SELECT doc_id, rot, updated, kind{facet_columns}, "  # noqa: S608
               f"{rank_sql} AS score, {dist_sql} AS dist FROM search_pg_document WHERE {where}) "
               f"SELECT 'hit', doc_id, row_number() OVER (), score, dist FROM (SELECT doc_id, score, dist FROM m "
               f"ORDER BY {order} LIMIT %s OFFSET %s) page UNION ALL "
               + (statements.facets_sql if query.with_facets
                  else "SELECT 'total', NULL, count(*), NULL, NULL FROM m"))
        with connection.cursor() as c:
            c.execute(sql, rank_params + dist_params + params + [query.limit, query.offset])
            rows = c.fetchall()
            page = sorted((r for r in rows if r[0] == "hit"), key=lambda r: r[2])  # by row_number
            hits = self._hits(c, [(doc_id, score, dist) for _, doc_id, _, score, dist in page])
        total, facets = _counts(rows, query.with_facets)
        return SearchResults(hits=hits, total=total, facets=facets)

    def _search_large(self, c, query: SearchQuery, main: str | None, where: str, params: list, rank_sql: str,
                      rank_params: list, sample: list[tuple]) -> SearchResults:
        """More matches than the exact limit: the page comes from bounded candidates, and the total and facet
        counts are the sample's, scaled (docs/search.md, "Large result sets")."""
        dist_sql, dist_params = self._distance(query)
        columns, column_params = f"doc_id, rot, {rank_sql} AS score, {dist_sql} AS dist", rank_params + dist_params
        window = query.offset + query.limit
        if query.sort == "relevance":
            # Candidates: the first matches on the fair-exposure ring (a daily-rotating uniform sample of the
            # matches) plus, with words, the first CANDIDATES whose title holds every word — for one word, a
            # title match outranks any other. Each walk follows the `rot` index from the ring's starting point
            # and wraps around, reading n / share rows in table order. The sample tells whether a tier is
            # dense enough for that (all the matches are: at least the exact limit); otherwise the rows of a
            # bitmap scan are sorted. The planner cannot be left to choose: it underestimates phrases by
            # orders of magnitude, then sorts tens of thousands of rows.
            salt = query.rotation_salt % RING
            tiers = [(where, params, window + TIE_WINDOW, True)]
            if main:
                c.execute("SELECT reltuples FROM pg_class WHERE oid = 'search_pg_document'::regclass")
                in_sample = c.fetchone()[0] * settings.CATALYSE_SEARCH_SAMPLE_FRACTION
                title_share = next(n for part, _, n, _, _ in sample if part == "title") / max(1.0, in_sample)
                tiers.append((*self._title_tier(query), max(CANDIDATES, window + TIE_WINDOW),
                              title_share >= WALK_SHARE))
            candidates = []
            for cond, cond_params, n, walk in tiers:
                c.execute(f"SET LOCAL enable_bitmapscan = {'off' if walk else 'DEFAULT'}")
                # Append returns its branches in order and stops when the outer LIMIT is reached: the
                # wrap-around branch is read only if the first one runs out.
                c.execute(f"SELECT * FROM ((SELECT {columns} FROM search_pg_document WHERE {cond} "  # noqa: S608
                          f"AND rot >= %s ORDER BY rot LIMIT %s) UNION ALL (SELECT {columns} FROM "
                          f"search_pg_document WHERE {cond} AND rot < %s ORDER BY rot LIMIT %s)) walk LIMIT %s",
                          [*column_params, *cond_params, salt, n, *column_params, *cond_params, salt, n, n])
                candidates += c.fetchall()
            c.execute("SET LOCAL enable_bitmapscan = DEFAULT")
            # The order of the exact path: score to 5 decimals, then the ring (fair exposure).
            ranked = sorted({row[0]: row for row in candidates}.values(),
                            key=lambda row: (-round(row[2], 5), ring_position(row[1], salt)))
            page = [(doc_id, score, dist) for doc_id, _, score, dist in ranked[query.offset:window]]
        else:
            order = {"recency": "updated DESC, doc_id", "distance": "dist ASC, doc_id"}[query.sort]
            sql = (f"SELECT doc_id, {rank_sql} AS score, {dist_sql} AS dist FROM search_pg_document "  # noqa: S608
                   f"WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s")
            c.execute(sql, column_params + params + [query.limit, query.offset])
            page = c.fetchall()
        hits = self._hits(c, page)
        total, facets = _counts(sample, query.with_facets, scale=1 / settings.CATALYSE_SEARCH_SAMPLE_FRACTION)
        return SearchResults(hits=hits, total=total, facets=facets, estimated=True)

    def _title_tier(self, query: SearchQuery) -> tuple[str, list]:
        """The matches whose title holds every word. The words are looked up in the title index only (with
        the full-text index too, the planner intersects it with a bitmap of every match of a common word);
        excluded words must still be absent from the whole text."""
        where, params = self._where(query, None)
        cond, cond_params = "ts_filter(vector, '{a}') @@ %s::tsquery", [_words(query)]
        if query.excluded:
            cond += " AND NOT vector @@ %s::tsquery"
            cond_params.append(" | ".join(_quote(t) for t in query.excluded))
        return f"{cond} AND {where}", cond_params + params

    def _hits(self, c, page: list[tuple[str, float, float | None]]) -> list[SearchHit]:
        """The stored fields of the page's documents, in the page's order."""
        c.execute(f"SELECT {_sql().hit_columns} FROM search_pg_document WHERE doc_id = ANY(%s)",  # noqa: S608
                  [[doc_id for doc_id, _, _ in page]])
        rows = {row[0]: row for row in c.fetchall()}
        return [self._hit((*rows[doc_id], score, dist)) for doc_id, score, dist in page]

    def _hit(self, row) -> SearchHit:
        doc_id, kind, title, url, summary, body, updated, lat, lon = row[:9]
        *similar, territories, score, dist = row[9:]
        return SearchHit(doc_id=doc_id, kind=kind, title=title, url=url, summary=summary, body=body,
                         score=float(score or 0), updated_ts=updated, lat=lat, lon=lon,
                         terms={name: list(values) for name, values in zip(_sql().similar, similar, strict=True)},
                         territories=list(territories), distance_km=dist)

    def get(self, doc_id: str) -> SearchHit | None:
        with connection.cursor() as c:
            c.execute(f"SELECT {_sql().hit_columns}, 0, NULL FROM search_pg_document WHERE doc_id = %s",  # noqa: S608
                      [doc_id])
            row = c.fetchone()
        return self._hit(row) if row else None

    def more_like_this(self, hit: SearchHit, query: SearchQuery) -> SearchResults:
        counts = Counter(itertools.chain(analyse(hit.title) * 3, analyse(hit.summary) * 2, analyse(hit.body)))
        terms = [t for t, _ in counts.most_common(MLT_TERMS)]
        tsq = " | ".join(_quote(t) for t in terms) or "''"
        deps = [t for t in hit.territories if t.startswith("departement:")]
        shared = [(f.name, f.similar * SIMILAR_SCALE, hit.terms.get(f.name, [])) for f in layout().similar]
        shared.append(("territories", SAME_DEPARTEMENT, deps))
        cond = " OR ".join(["vector @@ %s::tsquery", *(f"{name} && %s::text[]" for name, _, _ in shared)])
        rank = " + ".join([f"ts_rank('{WEIGHTS}', vector, %s::tsquery)",
                           *(f"{weight!r} * ({name} && %s::text[])::int" for name, weight, _ in shared)])
        params = [tsq, *(values for _, _, values in shared)]
        return self.search(query, mlt=(cond, rank, params))

    def doc_count(self) -> int:
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM search_pg_document")
            return c.fetchone()[0]

    def doc_ids(self) -> set[str]:
        with connection.cursor() as c:
            c.execute("SELECT doc_id FROM search_pg_document")
            return {r[0] for r in c.fetchall()}
