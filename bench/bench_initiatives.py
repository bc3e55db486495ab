"""The capitalisation bank at national scale: the initiative list with facets and the initiative page through
HTTP (DEBUG off) against the bare SQL they run — the page both as visitors get it (a shared cached copy) and
as a signed-in member gets it (always rendered) — then a bounded load test of gunicorn (2 sync workers, 32
concurrent connections from wrk on loopback) on initiative pages against a bare template page (/a-propos/).

Targets (issue 5): list p95 < 250 ms; page p95 < 100 ms; ≥ 500 requests/s under load.
Sizes: `BENCH_ORGS`, `BENCH_INITIATIVES`; load duration `BENCH_LOAD_SECONDS` (default 15).
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import summary, write_result
from dataset import ensure, production_settings
from pages import explain, page_vs_sql, slowest_statement, wall_and_cpu

LIST_TARGET_MS, PAGE_TARGET_MS, RPS_TARGET = 250, 100, 500
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "15"))
PORT = int(os.environ.get("BENCH_PORT", "8106"))
CONNECTIONS, WORKERS = 32, 2
LIST_COMBINATIONS = [
    ("none", {}),
    ("theme", {"theme": "emploi"}),
    ("sdg+stage", {"odd": "8", "stade": "experimentation"}),
    ("département", {"territoire": "departement:62"}),
    ("partner profile", {"profil": "entreprise"}),
    ("text", {"q": "fablab"}),
    ("theme+région+sort", {"theme": "sante", "territoire": "region:84", "tri": "titre"}),
]


def _sample_slugs(k: int) -> list[str]:
    """Public, published initiatives spread over the id range (no ORDER BY RANDOM() over 100k rows)."""
    from catalyse.initiatives.models import Initiative

    public = Initiative.objects.filter(publication="published", visibility="public")
    last = public.order_by("-pk").values_list("pk", flat=True).first() or 0
    slugs = []
    for i in range(k):
        row = public.filter(pk__gte=last * i // k).order_by("pk").values_list("slug", flat=True).first()
        if row:
            slugs.append(row)
    return slugs


def _member_client():
    """A client signed in as a member of the network (no organisation): sees members-only initiatives."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-membre@example.org",
                                                     defaults={"email": "bench-membre@example.org"})
    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(user)
    return member


def _wrk(url_paths: list[str], base: str) -> dict:
    """Run wrk for LOAD_SECONDS over the paths (round robin through a Lua script); requests/s and latency."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        quoted = ", ".join(f'"{p}"' for p in url_paths)
        script.write(f"paths = {{{quoted}}}\ni = 0\nrequest = function()\n  i = i % #paths + 1\n"
                     f"  return wrk.format('GET', paths[i])\nend\n")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{LOAD_SECONDS}s", "--timeout", "10s", "--latency", "-s", script.name,
         base],
        capture_output=True, text=True, timeout=LOAD_SECONDS + 60,
    ).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"\s+(50|95|99)(?:\.000)?%\s+([\d.]+\w+)", out))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"requests_per_s": rps, "latency": latency, "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else "", "seconds": LOAD_SECONDS}


def _load_test(slugs: list[str]) -> dict:
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (Debian: apt-get install wrk)"}
    for _ in range(150):  # another run's server may still hold the port: wait for it (5 minutes at most)
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) != 0:
                break
        time.sleep(2)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "catalyse.settings"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "catalyse.wsgi:application", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{PORT}",
         "--log-level", "warning"],
        env=env, cwd=Path(__file__).parent.parent,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/a-propos/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        pages = [f"/initiatives/{s}/" for s in slugs]
        for path in pages:  # warm both workers' caches and connections
            urllib.request.urlopen(base + path, timeout=10).read()
        # The bare page first: requests still queued from a slower run would otherwise delay it.
        bare = _wrk(["/a-propos/"], base)
        return {"initiative_pages": _wrk(pages, base), "bare_template_page": bare,
                "server": f"gunicorn {WORKERS} sync workers", "connections": CONNECTIONS}
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    production_settings()
    from common import setup_django

    setup_django()
    from django.test import Client

    dataset = ensure()
    load_before = os.getloadavg()
    client = Client(HTTP_HOST="127.0.0.1")
    lists, plans = {}, {}
    for label, params in LIST_COMBINATIONS:
        lists[label] = page_vs_sql(client, "/initiatives/", params, repeat=REPEAT)
        r = lists[label]
        print(f"  list {label}: p95 {r['http']['p95_ms']} ms, CPU {r['http_cpu']['p95_ms']} ms (bare SQL "
              f"{r['bare_sql']['p95_ms']} ms, CPU {r['bare_sql_cpu']['p95_ms']} ms)", flush=True)
        if lists[label]["http"]["p95_ms"] > LIST_TARGET_MS:
            ms, sql = slowest_statement(client, lists[label]["url"])
            plans[label] = {"slowest_query_ms": round(ms, 1), "sql": sql[:2000], "plan": explain(sql)}

    slugs = _sample_slugs(20)
    paths = [f"/initiatives/{slug}/" for slug in slugs]
    urls = iter(paths * REPEAT)
    detail_http, detail_cpu = wall_and_cpu(lambda: client.get(next(urls)), repeat=len(paths) * REPEAT - 1)
    print(f"  page (visitor): p95 {detail_http['p95_ms']} ms, CPU {detail_cpu['p95_ms']} ms", flush=True)
    # A signed-in member always gets a fresh render (the visitor copy is for signed-out people only): the
    # page's own cost, against the SQL it runs.
    member = _member_client()
    details = [page_vs_sql(member, path, repeat=3) for path in paths]
    urls = iter(paths * REPEAT)
    fresh_http, fresh_cpu = wall_and_cpu(lambda: member.get(next(urls)), repeat=len(paths) * REPEAT - 1)
    detail_bare = summary([d["bare_sql"]["p50_ms"] for d in details])
    print(f"  page (signed in): p95 {fresh_http['p95_ms']} ms, CPU {fresh_cpu['p95_ms']} ms (bare SQL p95 of p50s "
          f"{detail_bare['p95_ms']} ms, {max(d['queries'] for d in details)} queries)", flush=True)
    bare_page, bare_page_cpu = wall_and_cpu(lambda: client.get("/a-propos/"), repeat=REPEAT)

    load = _load_test(slugs)
    print(f"  load: {load}", flush=True)
    worst_list = max(r["http"]["p95_ms"] for r in lists.values())
    worst_list_cpu = max(r["http_cpu"]["p95_ms"] for r in lists.values())
    rps = load.get("initiative_pages", {}).get("requests_per_s")
    write_result("initiatives", {
        "dataset": dataset,
        # Other processes on the machine slow every number down; the ratios to the bare SQL much less.
        "loadavg_1min_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "list_pages": lists,
        "list_worst_p95_ms": worst_list,
        "list_worst_cpu_p95_ms": worst_list_cpu,
        "initiative_page_http": detail_http,
        "initiative_page_cpu": detail_cpu,
        "signed_in_page_http": fresh_http,
        "signed_in_page_cpu": fresh_cpu,
        "signed_in_page_bare_sql_p50s": detail_bare,
        "signed_in_page_queries": max(d["queries"] for d in details) if details else 0,
        "bare_template_page_http": bare_page,
        "bare_template_page_cpu": bare_page_cpu,
        "load": load,
        "targets": {
            "list_p95_under_250ms": worst_list < LIST_TARGET_MS,
            "page_p95_under_100ms": detail_http["p95_ms"] < PAGE_TARGET_MS,
            "in_cpu_time": {"list": worst_list_cpu < LIST_TARGET_MS, "page": detail_cpu["p95_ms"] < PAGE_TARGET_MS},
            "at_least_500_rps": rps is not None and rps >= RPS_TARGET,
        },
        "plans_of_slow_lists": plans,
    })


if __name__ == "__main__":
    main()
