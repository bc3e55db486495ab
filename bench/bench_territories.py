"""Territory referential: load time (fresh and no-op), and autocomplete latency through HTTP vs bare SQL.

The fresh load runs the real `catalyse load_territories` command in a throwaway SQLite data directory, so
the benchmark database (which may hold a generated national dataset pointing at territories) is untouched.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ratio, setup_django, summary, timings, write_result
from dataset import production_settings

QUERIES = ["loos en gohelle", "62750", "62528", "courcy", "saint", "mar", "paris", "lyon", "bordeaux", "la roche"]
CATALYSE = str(Path(sys.executable).with_name("catalyse"))


def timed_load(env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([CATALYSE, "load_territories"], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "CATALYSE_DATA_DIR": data_dir, "DEBUG": "1"}
        env.pop("DATABASE_URL", None)
        subprocess.run([CATALYSE, "migrate", "-v0"], env=env, check=True)
        fresh, noop = timed_load(env), timed_load(env)

    production_settings()  # DEBUG off: DEBUG records every query, which is not what users get
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from catalyse.territories.loader import territories_load
    from catalyse.territories.queries import territories_search

    call_command("migrate", verbosity=0)
    territories_load()
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
        "load_fresh_command_s": round(fresh, 2),
        "load_noop_command_s": round(noop, 2),
        "autocomplete_http": http_s,
        "autocomplete_bare_sql": bare_s,
        "http_over_sql_ratio_p50": ratio(http_s, bare_s),
        "target": "autocomplete p95 < 30 ms; load < 15 s (SQLite)",
    })
