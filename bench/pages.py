"""Timing a page through HTTP against the bare SQL it runs, for the page benchmarks.

The bare side is exact: the queries the page executed during one request are captured (with their
parameters, as the database driver sent them) and replayed on a raw cursor, so the ratio shows what
Django, the view and the template add on top of the database. Pages that cache part of their work (the
directory's facet counts) are measured warm and cold, each against its own SQL.
"""

import re
import time
from collections.abc import Callable
from urllib.parse import urlencode

from common import ratio, summary


def wall_and_cpu(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> tuple[dict, dict]:
    """Summaries of wall-clock and CPU milliseconds of this process. On a machine shared with other work the
    CPU time is the stable measure (SQLite runs in-process, so it includes the database work; with
    PostgreSQL the server's CPU is not in it)."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return summary(wall), summary(cpu)


def _capture(client, url: str) -> tuple[list[str], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    statements = [q["sql"] for q in captured.captured_queries
                  if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]
    return statements, len(response.content)


# PostgreSQL runs `.iterator()` through a server-side cursor: the statement captured is its DECLARE, which cannot
# run twice under one name; the bare side runs the query it declares (and fetches every row, like the page).
_DECLARE = re.compile(r'^DECLARE "[^"]+" (?:NO SCROLL )?CURSOR (?:WITH(?:OUT)? HOLD )?FOR ', re.IGNORECASE)


def _replay(statements: list[str]) -> Callable[[], None]:
    from django.db import connection

    statements = [_DECLARE.sub("", sql) for sql in statements]
    cursor = connection.cursor()

    def bare() -> None:
        for sql in statements:
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()

    return bare


def page_vs_sql(client, path: str, params: dict | None = None, *, repeat: int = 20) -> dict:
    """A page timed cold (Django's cache emptied before each request: what the first visitor of a selection
    waits) and warm (what the next ones wait), each against the replay of the SQL it ran."""
    from django.core.cache import cache

    url = f"{path}?{urlencode(params, doseq=True)}" if params else path
    cache.clear()
    cold_sql, size = _capture(client, url)
    warm_sql, _ = _capture(client, url)

    def cold() -> None:
        cache.clear()
        client.get(url)

    http_s, http_cpu = wall_and_cpu(lambda: client.get(url), repeat=repeat)
    bare_s, bare_cpu = wall_and_cpu(_replay(warm_sql), repeat=repeat)
    result = {"url": url, "queries": len(warm_sql), "bytes": size, "http": http_s, "bare_sql": bare_s,
              "http_over_sql_ratio_p50": ratio(http_s, bare_s), "http_cpu": http_cpu, "bare_sql_cpu": bare_cpu}
    if cold_sql != warm_sql:  # the page caches part of its work: measure the uncached request as well
        cold_s, cold_cpu = wall_and_cpu(cold, repeat=repeat)
        bare_cold_s, bare_cold_cpu = wall_and_cpu(_replay(cold_sql), repeat=repeat)
        result["cold"] = {"queries": len(cold_sql), "http": cold_s, "http_cpu": cold_cpu, "bare_sql": bare_cold_s,
                          "bare_sql_cpu": bare_cold_cpu, "http_over_sql_ratio_p50": ratio(cold_s, bare_cold_s)}
    return result


def explain(sql: str) -> str:
    """The plan of one statement (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL)."""
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def slowest_statement(client, url: str) -> tuple[float, str]:
    """The slowest query of one uncached request, to explain when a target is missed."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    worst = (0.0, "")
    with connection.cursor() as cursor:
        for q in captured.captured_queries:
            start = time.perf_counter()
            cursor.execute(q["sql"])
            if cursor.description:
                cursor.fetchall()
            worst = max(worst, ((time.perf_counter() - start) * 1000, q["sql"]))
    return worst
