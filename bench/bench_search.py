"""Search at scale, for each backend available on the benchmark database (tantivy always, postgres on
PostgreSQL): full rebuild (docs/s, index size), then the fixed query set of bench/search_queries.json
through HTTP (Django's full request path, in-process client) and through the Python API
(queries.search_run), each against the bare engine call (backend.search on the prepared query) in the same
run; recall@10 on bench/search_labelled.json.

Targets (issue 6), Tantivy: p95 < 20 ms without facets, < 40 ms with facets, HTTP/bare ≤ 1.5, rebuild
≥ 20,000 docs/s; PostgreSQL: p95 < 200 ms. Sizes: BENCH_ORGS, BENCH_INITIATIVES.

The index is rebuilt only when it is not current (the dataset was just generated, the index holds another
number of documents than the database, or the outbox has pending changes): at a million documents a
rebuild takes minutes. BENCH_SEARCH_REBUILD=1 forces one (to measure it), =0 never rebuilds. Rebuild CPU
time is this process's (its threads included: Tantivy's writer) and its worker processes' (the documents'
building and encoding); PostgreSQL's own work is not in it.
"""

import json
import os
import re
import resource
import time
import unicodedata
from pathlib import Path

from common import summary, timings, write_result
from dataset import ensure, production_settings

HERE = Path(__file__).parent
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c))


def _cpu_s() -> float:
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _index_is_current(backend, generated_now: bool) -> bool:
    from catalyse.search.models import OutboxEntry
    from catalyse.search.registry import indexed_kinds

    if generated_now or OutboxEntry.objects.exists():
        return False
    expected = sum(k.model._default_manager.count() for k in indexed_kinds().values())
    return backend.doc_count() == expected


def main(args=None) -> dict:
    production_settings()
    # One client address sends every request: the anonymous API rate limit would answer 429.
    os.environ["CATALYSE_API_ANONYMOUS_PER_MINUTE"] = "0"
    from common import setup_django

    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict
    from django.test import Client

    from catalyse.search.backends import available_backends, get_backend
    from catalyse.search.outbox import index_rebuild
    from catalyse.search.queries import SearchParams, build_query, search_run
    from catalyse.search.registry import indexed_kinds

    info = ensure()
    queries = json.loads((HERE / "search_queries.json").read_text())["queries"]
    labelled = json.loads((HERE / "search_labelled.json").read_text())["queries"]
    client = Client()
    anonymous = AnonymousUser()
    out = {"dataset": info, "backends": {}}
    titles = {}
    for k in indexed_kinds().values():
        field = "name" if k.kind == "organisation" else "title"
        for pk, t in k.model._default_manager.values_list("pk", field).iterator(chunk_size=20000):
            titles[f"{k.kind}:{pk}"] = _fold(t)
    wanted = [b for b in os.environ.get("BENCH_SEARCH_BACKENDS", "").split(",") if b]
    for name in [b for b in available_backends() if not wanted or b in wanted]:
        from django.conf import settings

        settings.CATALYSE_SEARCH_BACKEND = name
        backend = get_backend(name)
        res = {"groups": {}}
        rebuild = os.environ.get("BENCH_SEARCH_REBUILD", "auto")
        if rebuild == "1" or (rebuild != "0" and not _index_is_current(backend, info["generated_now"])):
            start, cpu = time.perf_counter(), _cpu_s()
            n = index_rebuild(backend)
            rebuild_s, rebuild_cpu_s = time.perf_counter() - start, _cpu_s() - cpu
            res.update(documents=n, rebuild_s=round(rebuild_s, 1), rebuild_docs_per_s=round(n / rebuild_s),
                       rebuild_cpu_s=round(rebuild_cpu_s, 1), rebuild_docs_per_cpu_s=round(n / rebuild_cpu_s))
        else:
            res["rebuild"] = "index reused (current)"
        res["index_mb"] = round(backend.size_bytes() / 1e6, 1)
        groups = {"no_facets": [], "facets": []}
        for q in queries:
            data = QueryDict(mutable=True)
            for k2, v in q.items():
                data[k2] = v
            params = SearchParams.from_query_dict(data)
            for group, with_facets in (("no_facets", False), ("facets", True)):
                query, _ = build_query(anonymous, params, with_facets=with_facets)
                bare = summary(timings(lambda query=query, b=backend: b.search(query), repeat=REPEAT))
                api = summary(timings(lambda params=params, wf=with_facets: search_run(anonymous, params,
                                                                                        with_facets=wf),
                                      repeat=REPEAT))
                http_data = data.copy()
                http_data["facets"] = "true" if with_facets else "false"
                url = "/api/v1/search?" + http_data.urlencode()
                status = client.get(url).status_code
                if status != 200:
                    raise RuntimeError(f"GET {url} answered {status}")
                http = summary(timings(lambda url=url: client.get(url), repeat=REPEAT))
                groups[group].append((bare, api, http))
        for group, rows in groups.items():
            agg = {}
            for i, label in enumerate(("bare", "python_api", "http")):
                p50s = sorted(r[i]["p50_ms"] for r in rows)
                p95s = sorted(r[i]["p95_ms"] for r in rows)
                agg[label] = {"p50_ms": round(p50s[len(p50s) // 2], 2),
                              "p95_ms": round(p95s[int(len(p95s) * 0.95) - 1], 2)}
            for p in ("p50", "p95"):
                bare = max(agg["bare"][f"{p}_ms"], 1e-6)
                agg[f"http_over_bare_{p}"] = round(agg["http"][f"{p}_ms"] / bare, 2)
                agg[f"api_over_bare_{p}"] = round(agg["python_api"][f"{p}_ms"] / bare, 2)
            res["groups"][group] = agg
        recalls = []
        for item in labelled:
            words = [_fold(w) for w in item["title_words"]]
            expected = {d for d, t in titles.items() if all(re.search(rf"\b{re.escape(w)}\b", t) for w in words)}
            if not expected:
                continue
            data = QueryDict(mutable=True)
            data["q"], data["limit"] = item["q"], "10"
            hits = {h.doc_id for h in search_run(anonymous, SearchParams.from_query_dict(data),
                                                  with_facets=False).hits}
            recalls.append(len(hits & expected) / min(10, len(expected)))
        res["recall_at_10"] = round(sum(recalls) / len(recalls), 3) if recalls else None
        res["labelled_queries_used"] = len(recalls)
        out["backends"][name] = res
        print(name, json.dumps(res, indent=1), flush=True)

    write_result("search", out)
    return out


if __name__ == "__main__":
    main()
