"""IATI 2.03 export of initiatives with complete results frameworks (`evaluation.iati.iati_export`): time for
100 and 1,000 initiatives and the peak of Python memory while the document streams (tracemalloc), which must
not grow with the selection; against the bare engine call (reading the same measurement and disaggregation
rows on a raw cursor) in the same run. The 1,000-initiative document is validated against the official
schema once (`catalyse/evaluation/iati_schema`).

Data (`bench/evaluation_data.py`, written once): each initiative has 3 objectives, 5 indicators, 24 approved
monthly measurements per indicator with two disaggregations on the numeric ones — 120,000 measurements and
192,000 disaggregations for 1,000 initiatives. Read as a visitor (everything is published) and as the
partner of every initiative (the insiders' visibility rules).
Target (issue 15): 1,000 initiatives < 10 s, constant memory.
"""

import os
import statistics
import time
import tracemalloc
from pathlib import Path

from common import setup_django, write_result
from dataset import production_settings

SIZES = [100, int(os.environ.get("BENCH_IATI_INITIATIVES", "1000"))]
REPEAT = int(os.environ.get("BENCH_IATI_REPEAT", "2"))
TARGET_S = 10
# The official schema, shipped with the code (as the tests use it).
SCHEMA = Path(__file__).resolve().parent.parent / "catalyse" / "evaluation" / "iati_schema"


def selection(ids: list[int]):
    from catalyse.initiatives.models import Initiative

    return Initiative.objects.filter(slug__startswith="bench-eval-iati-", pk__gte=ids[0], pk__lte=ids[-1])


def export(user, ids: list[int], sink=None) -> int:
    from catalyse.evaluation.iati import iati_export

    size = 0
    for chunk in iati_export(user, selection(ids), base_url="https://catalyse.example"):
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return size


def timed(fn) -> dict:
    wall, cpu = [], []
    for _ in range(REPEAT):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {"n": REPEAT, "p50_s": round(statistics.median(wall), 3), "max_s": round(max(wall), 3),
            "cpu_p50_s": round(statistics.median(cpu), 3), "result": result}


def peak_mb(fn) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 1024 / 1024, 1)


def bare(ids: list[int]) -> int:
    """The measurement and disaggregation rows of the selection, read on a raw cursor in chunks."""
    from django.db import connection

    sql_measurements = (
        "SELECT m.id, m.indicator_id, m.version_id, m.period_start, m.period_end, m.value, m.level, m.comment "
        "FROM evaluation_measurement m JOIN evaluation_indicator i ON i.id = m.indicator_id "
        "WHERE i.initiative_id BETWEEN %s AND %s AND m.status = 'approved' ORDER BY m.indicator_id, m.period_end")
    sql_parts = (
        "SELECT d.measurement_id, d.dimension, d.category, d.value FROM evaluation_disaggregation d "
        "JOIN evaluation_measurement m ON m.id = d.measurement_id JOIN evaluation_indicator i ON i.id = m.indicator_id "
        "WHERE i.initiative_id BETWEEN %s AND %s AND m.status = 'approved'")
    rows = 0
    with connection.cursor() as cursor:
        for sql in (sql_measurements, sql_parts):
            cursor.execute(sql, [ids[0], ids[-1]])
            while batch := cursor.fetchmany(5000):
                rows += len(batch)
    return rows


def validate(user, ids: list[int]) -> dict:
    import io

    from lxml import etree

    if not (SCHEMA / "iati-activities-schema.xsd").exists():
        return {"validated": False, "why": f"schema not found at {SCHEMA}"}
    out = io.BytesIO()
    export(user, ids, out)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA / "iati-activities-schema.xsd")))
    document = etree.fromstring(out.getvalue(), etree.XMLParser(huge_tree=True))
    return {"validated": True, "valid": schema.validate(document),
            "activities": len(document.findall("iati-activity")),
            "first_error": str(schema.error_log.last_error) if schema.error_log else ""}


def main() -> None:
    production_settings()
    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from evaluation_data import frameworks, partner

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    ids = frameworks(max(SIZES))
    setup_s = round(time.perf_counter() - start, 1)
    user, _organisation = partner()
    readers = {"visitor": AnonymousUser(), "partner": user}
    results: dict = {"setup_s": setup_s, "sizes": {}}
    for n in SIZES:
        chosen = ids[:n]
        entry = {"bare_rows_read": timed(lambda chosen=chosen: bare(chosen))}
        for name, reader in readers.items():
            entry[name] = timed(lambda reader=reader, chosen=chosen: export(reader, chosen))
            size = entry[name]["bytes"] = entry[name].pop("result")
            entry[name]["tracemalloc_peak_mb"] = peak_mb(lambda reader=reader, chosen=chosen: export(reader, chosen))
            entry[name]["ratio_to_bare"] = round(entry[name]["p50_s"] / entry["bare_rows_read"]["p50_s"], 1)
            print(f"  {n} initiatives, {name}: {entry[name]['p50_s']} s, {size / 1e6:.1f} MB of XML, "
                  f"peak {entry[name]['tracemalloc_peak_mb']} MB", flush=True)
        results["sizes"][str(n)] = entry
    results["schema"] = validate(readers["visitor"], ids[:max(SIZES)])
    largest = results["sizes"][str(max(SIZES))]
    smallest = results["sizes"][str(min(SIZES))]
    results["memory_growth_1000_over_100"] = round(
        largest["visitor"]["tracemalloc_peak_mb"] / smallest["visitor"]["tracemalloc_peak_mb"], 2)
    results["target"] = f"{max(SIZES)} initiatives < {TARGET_S} s, peak memory flat from 100 to {max(SIZES)}"
    results["meets_target"] = (max(largest[r]["p50_s"] for r in readers) < TARGET_S
                               and results["memory_growth_1000_over_100"] < 1.5
                               and results["schema"].get("valid", True))
    write_result("evaluation_iati", results)
