"""Shared helpers for benchmarks: timing, percentiles, machine facts, result files.

Every `bench/bench_<name>.py` exposes `main(args) -> dict`; `bench/run.py` runs them and writes
`bench/results/<name>-<database>.json`. Compare a measured path with the bare engine call in the same run (ratio):
absolute times on shared machines are noisy, ratios much less.
"""

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def setup_django(settings: str = "catalyse.settings") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def machine() -> dict:
    from django.db import connection

    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "database": connection.vendor,
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def timings(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(ms: list[float]) -> dict:
    ordered = sorted(ms)
    pick = lambda p: ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]  # noqa: E731
    return {"n": len(ms), "p50_ms": round(statistics.median(ordered), 3), "p95_ms": round(pick(0.95), 3),
            "max_ms": round(ordered[-1], 3)}


def ratio(measured: dict, bare: dict, key: str = "p50_ms") -> float:
    return round(measured[key] / bare[key], 2) if bare[key] else float("inf")


def write_result(name: str, data: dict) -> Path:
    """bench/results/<name>-<database>.json: runs on SQLite and on PostgreSQL keep their own file."""
    from django.db import connection

    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{connection.vendor}.json"
    payload = {"benchmark": name, "machine": machine(), **data}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    return path
