"""PostgreSQL full-text backend, for deployments with several application servers.

Same documents, same analysed terms as Tantivy (analysis.py), stored in `search_pg_document` (created by
migration 0002): a tsvector with weights A (title), B (summary), C (body) under a GIN index, text arrays for
facets and filters, and the audience array that the grants filter matches inside the SQL query.
"""

from __future__ import annotations

import itertools
from collections import Counter

from django.db import connection, transaction

from ..analysis import analyse, analysed_text
from ..documents import SearchDocument, rotation_key
from .base import FACET_SIZE, FACETS, RING, Clause, SearchBackend, SearchHit, SearchQuery, SearchResults

ARRAYS = ("profile", "trades", "themes", "sdgs", "stage", "region", "departement", "territories", "audience")
WEIGHTS = "{0.1, 0.3, 0.6, 1.0}"  # D, C (body), B (summary), A (title)
HIT_COLUMNS = "doc_id, kind, title, url, summary, body, updated, lat, lon, themes, sdgs, territories"
VECTOR_SQL = ("setweight(to_tsvector('catalyse_terms', %s), 'A') || setweight(to_tsvector('catalyse_terms', %s), 'B')"
              " || setweight(to_tsvector('catalyse_terms', %s), 'C')")
DISTANCE_SQL = ("(12742.0 * asin(sqrt(power(sin(radians(lat - %s) / 2), 2) + cos(radians(%s)) * cos(radians(lat))"
                " * power(sin(radians(lon - %s) / 2), 2))))")
MLT_TERMS = 25
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


class PostgresBackend(SearchBackend):
    name = "postgres"

    # --- writing -------------------------------------------------------------------------------------

    def _row(self, d: SearchDocument) -> list:
        return [
            d.doc_id, d.kind, d.title, d.url, d.summary, d.body,
            analysed_text(d.title), analysed_text(d.summary), analysed_text(d.body),
            *(getattr(d, a) for a in ARRAYS), d.lat, d.lon,
            int(d.updated_at.timestamp()) if d.updated_at else 0, rotation_key(d.doc_id),
        ]

    _INSERT = (
        "INSERT INTO search_pg_document (doc_id, kind, title, url, summary, body, vector, "  # noqa: S608
        + ", ".join(ARRAYS) + ", lat, lon, updated, rot) VALUES (%s, %s, %s, %s, %s, %s, " + VECTOR_SQL + ", "
        + ", ".join(["%s"] * len(ARRAYS)) + ", %s, %s, %s, %s) ON CONFLICT (doc_id) DO UPDATE SET "
        + ", ".join(f"{c} = EXCLUDED.{c}" for c in ("kind", "title", "url", "summary", "body", "vector", *ARRAYS,
                                                      "lat", "lon", "updated", "rot"))
    )

    def index_documents(self, docs: list[SearchDocument]) -> None:
        if not docs:
            return
        with transaction.atomic(), connection.cursor() as c:
            c.executemany(self._INSERT, [self._row(d) for d in docs])

    def delete_documents(self, doc_ids: list[str]) -> None:
        if doc_ids:
            with connection.cursor() as c:
                c.execute("DELETE FROM search_pg_document WHERE doc_id = ANY(%s)", [list(doc_ids)])

    def clear(self) -> None:
        with connection.cursor() as c:
            c.execute("TRUNCATE search_pg_document")

    def finish_bulk(self) -> None:
        with connection.cursor() as c:
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
        rank_sql, rank_params = "0", []
        if mlt:
            cond, rank_sql, rank_params = mlt
            where = f"({where}) AND ({cond})"
            params = params + rank_params
        elif main:
            rank_sql = f"ts_rank('{WEIGHTS}', vector, %s::tsquery)"
            rank_params = [main]
            if main != tsq:  # alternatives (accent-free, derived, corrected) count for less
                rank_sql += f" + 0.3 * ts_rank('{WEIGHTS}', vector, %s::tsquery)"
                rank_params.append(tsq)
        dist_sql, dist_params = ("NULL::float8", [])
        if query.near:
            dist_sql, dist_params = DISTANCE_SQL, [query.near[0], query.near[0], query.near[1]]
        salt = query.rotation_salt % RING
        order = {
            "relevance": f"round(score::numeric, 5) DESC, mod(mod(rot - {salt}, {RING}) + {RING}, {RING})",
            "recency": "updated DESC, doc_id",
            "distance": "dist ASC, doc_id",
        }[query.sort]
        # One scan of the matches per search: each is ranked once into `m`, and the page, the total and
        # the facet counts are all read from it (they were two or three scans of the table).
        facet_columns = ", " + ", ".join(f for f in FACETS if f != "kind") if query.with_facets else ""
        sql = (f"WITH m AS MATERIALIZED (SELECT doc_id, rot, updated, kind{facet_columns}, "  # noqa: S608
               f"{rank_sql} AS score, {dist_sql} AS dist FROM search_pg_document WHERE {where}) "
               f"SELECT 'hit', doc_id, row_number() OVER (), score, dist FROM (SELECT doc_id, score, dist FROM m "
               f"ORDER BY {order} LIMIT %s OFFSET %s) page UNION ALL ")
        if query.with_facets:
            sql += " UNION ALL ".join(
                ["SELECT 'kind', kind, count(*), NULL, NULL FROM m GROUP BY kind"]
                + [f"(SELECT '{f}', v, count(*), NULL, NULL FROM m, unnest(m.{f}) v GROUP BY v "  # noqa: S608
                   f"ORDER BY 3 DESC LIMIT {FACET_SIZE})" for f in FACETS if f != "kind"])
        else:
            sql += "SELECT 'total', NULL, count(*), NULL, NULL FROM m"
        facets: dict[str, list[tuple[str, int]]] = {f: [] for f in FACETS}
        page, total = [], 0
        with connection.cursor() as c:
            c.execute(sql, rank_params + dist_params + params + [query.limit, query.offset])
            for part, value, n, score, dist in c.fetchall():
                if part == "hit":
                    page.append((n, value, score, dist))
                elif part == "total":
                    total = n
                else:
                    facets[part].append((value, n))
            c.execute(f"SELECT {HIT_COLUMNS} FROM search_pg_document WHERE doc_id = ANY(%s)",  # noqa: S608
                      [[doc_id for _, doc_id, _, _ in page]])
            rows = {row[0]: row for row in c.fetchall()}
        hits = [self._hit((*rows[doc_id], score, dist)) for _, doc_id, score, dist in sorted(page)]
        if query.with_facets:
            for values in facets.values():
                values.sort(key=lambda x: (-x[1], x[0]))
            total = sum(n for _, n in facets["kind"])
        return SearchResults(hits=hits, total=total, facets=facets if query.with_facets else {})

    def _hit(self, row) -> SearchHit:
        (doc_id, kind, title, url, summary, body, updated, lat, lon, themes, sdgs, territories, score, dist) = row
        return SearchHit(doc_id=doc_id, kind=kind, title=title, url=url, summary=summary, body=body,
                         score=float(score or 0), updated_ts=updated, lat=lat, lon=lon, themes=list(themes),
                         sdgs=list(sdgs), territories=list(territories), distance_km=dist)

    def get(self, doc_id: str) -> SearchHit | None:
        with connection.cursor() as c:
            c.execute(f"SELECT {HIT_COLUMNS}, 0, NULL FROM search_pg_document WHERE doc_id = %s", [doc_id])  # noqa: S608
            row = c.fetchone()
        return self._hit(row) if row else None

    def more_like_this(self, hit: SearchHit, query: SearchQuery) -> SearchResults:
        counts = Counter(itertools.chain(analyse(hit.title) * 3, analyse(hit.summary) * 2, analyse(hit.body)))
        terms = [t for t, _ in counts.most_common(MLT_TERMS)]
        tsq = " | ".join(_quote(t) for t in terms) or "''"
        deps = [t for t in hit.territories if t.startswith("departement:")]
        cond = ("vector @@ %s::tsquery OR themes && %s::text[] OR sdgs && %s::text[] OR territories && %s::text[]")
        rank = (f"ts_rank('{WEIGHTS}', vector, %s::tsquery) + 0.2 * (themes && %s::text[])::int"
                " + 0.1 * (sdgs && %s::text[])::int + 0.15 * (territories && %s::text[])::int")
        params = [tsq, hit.themes, hit.sdgs, deps]
        return self.search(query, mlt=(cond, rank, params))

    def doc_count(self) -> int:
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM search_pg_document")
            return c.fetchone()[0]

    def doc_ids(self) -> set[str]:
        with connection.cursor() as c:
            c.execute("SELECT doc_id FROM search_pg_document")
            return {r[0] for r in c.fetchall()}
