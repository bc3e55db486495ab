"""Territory referential: load time (fresh and no-op), and autocomplete latency through HTTP vs bare SQL."""

import time

from common import ratio, setup_django, summary, timings, write_result

QUERIES = ["loos en gohelle", "62750", "62528", "courcy", "saint", "mar", "paris", "lyon", "bordeaux", "la roche"]


def main() -> None:
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from catalyse.territories.loader import territories_load
    from catalyse.territories.models import Territory
    from catalyse.territories.queries import territories_search

    call_command("migrate", verbosity=0)
    # A raw delete: the ORM's cascade collector would walk 39k self-references one by one.
    Territory.objects.all()._raw_delete(Territory.objects.db)
    start = time.perf_counter()
    territories_load()
    fresh = time.perf_counter() - start
    start = time.perf_counter()
    report = territories_load()
    noop = time.perf_counter() - start
    assert not report.changed

    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get("/api/v1/territories", {"q": "courcy"}).status_code == 200
    cursor = connection.cursor()
    http, bare = [], []
    for q in QUERIES:
        http += timings(lambda q=q: client.get("/api/v1/territories", {"q": q, "limit": 10}), repeat=30)
        sql, params = territories_search(q)[:10].query.sql_with_params()
        bare += timings(lambda sql=sql, params=params: cursor.execute(sql, params).fetchall(), repeat=30)
    http_s, bare_s = summary(http), summary(bare)
    write_result("territories", {
        "load_fresh_s": round(fresh, 2),
        "load_noop_s": round(noop, 2),
        "autocomplete_http": http_s,
        "autocomplete_bare_sql": bare_s,
        "http_over_sql_ratio_p50": ratio(http_s, bare_s),
        "target": "autocomplete p95 < 30 ms; load < 15 s",
    })
