"""CSV import of measurements (`catalyse import_measurements`): time and peak memory of 100,000 rows into one
initiative, first run and re-run of the same file, against a bare executemany insert of the same rows.

The file (`BENCH_MEASUREMENTS`, default 100,000 rows): 10 indicators (one on a scale, given by its level's
label) × 10,000 daily periods, half the rows with two `ventilation:genre:…` columns filled, one in ten with a
comment. Each import runs in a child process through the real command, so that its peak RSS is its own.
Target (issue 15): < 20 s for 100,000 measurements.
"""

import csv
import datetime as dt
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import setup_django, write_result
from dataset import production_settings

ROWS = int(os.environ.get("BENCH_MEASUREMENTS", "100000"))
INDICATORS = 10
TARGET_S = 20
SLUG = "bench-eval-import"


def setup() -> tuple[str, list[int], int]:
    """The bench initiative, its indicators (the last on a scale) and the importing partner."""
    from evaluation_data import initiative, partner

    from catalyse.evaluation import services
    from catalyse.evaluation.models import Indicator

    user, _organisation = partner()
    found = initiative(SLUG)
    indicators = list(Indicator.objects.filter(initiative=found).order_by("pk").values_list("pk", flat=True))
    for k in range(len(indicators), INDICATORS):
        scale = k == INDICATORS - 1
        indicators.append(services.indicator_create(
            initiative=found, name=f"Indicateur importé {k + 1}", definition="Personnes accompagnées.",
            computation="Somme des listes d'émargement.", measure="scale" if scale else "number",
            scale_levels=["faible", "moyenne", "forte"] if scale else [], baseline_value=1 if scale else 0,
            baseline_date=dt.date(1999, 12, 31), targets=[{"date": "2030-12-31", "value": 3 if scale else 1000}]).pk)
    return user.email, indicators, found.pk


def write_file(path: Path, indicators: list[int]) -> None:
    rng = random.Random(5)
    per_indicator = ROWS // len(indicators)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(["indicateur_id", "debut", "fin", "valeur", "niveau", "commentaire",
                         "ventilation:genre:femmes", "ventilation:genre:hommes"])
        for k, indicator in enumerate(indicators):
            scale = k == len(indicators) - 1
            for day in range(per_indicator):
                date = (dt.date(2000, 1, 1) + dt.timedelta(days=day)).isoformat()
                split = not scale and rng.random() < 0.5
                women = rng.randint(0, 50)
                writer.writerow([
                    indicator, date, date, "" if scale else f"{women + 30},5", rng.choice(["faible", "forte"])
                    if scale else "", "Relevé de la permanence" if rng.random() < 0.1 else "",
                    women if split else "", "30,5" if split else ""])


def child(path: str, email: str, slug: str) -> None:
    """Runs in a subprocess: one import through the real command, then its time and peak RSS as JSON."""
    production_settings()
    setup_django()
    from django.core.management import call_command

    from catalyse.core.models import ImportRun

    start, cpu = time.perf_counter(), time.process_time()
    call_command("import_measurements", path, "--initiative", slug, "--user", email, stdout=io.StringIO())
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    run = ImportRun.objects.filter(kind="measurements").order_by("-pk").first()
    print(json.dumps({"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "rows": run.rows_done,
                      "created": run.created, "updated": run.updated, "unchanged": run.unchanged,
                      "errors": run.errors, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                                                  / 1024, 1)}))


def measured_import(path: Path, email: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "child", str(path), email, SLUG], check=True,
                         capture_output=True, text=True, env=os.environ.copy(), cwd=Path(__file__).parent.parent)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["rows_per_s"] = round(result["rows"] / result["seconds"])
    return result


def clear(initiative_id: int) -> None:
    from django.db import connection

    from catalyse.evaluation.models import Disaggregation, Measurement

    measurements = Measurement.objects.filter(indicator__initiative_id=initiative_id)
    Disaggregation.objects.filter(measurement__in=measurements.values("pk"))._raw_delete(Disaggregation.objects.db)
    measurements._raw_delete(Measurement.objects.db)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) evaluation_measurement, evaluation_disaggregation")


def bare_insert(path: Path, indicators: list[int]) -> dict:
    """The same measurement rows straight into the table (csv module + executemany, 2,000 rows per
    transaction), without disaggregations, lookups or checks."""
    from django.db import connection, transaction
    from django.utils import timezone

    from catalyse.evaluation.models import Indicator

    versions = {i.pk: i.versions.get(number=i.current_version).pk for i in Indicator.objects.filter(pk__in=indicators)}
    now = timezone.now()
    sql = ("INSERT INTO evaluation_measurement (indicator_id, version_id, period_start, period_end, value, level, "
           "comment, status, review_note, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, 'draft', '', "
           "%s, %s)")
    start, cpu = time.perf_counter(), time.process_time()
    rows = 0
    with open(path, encoding="utf-8", newline="") as f, connection.cursor() as cursor:
        batch = []
        for row in csv.DictReader(f, delimiter=";"):
            indicator = int(row["indicateur_id"])
            level = {"faible": 1, "forte": 3}.get(row["niveau"])
            batch.append((indicator, versions[indicator], row["debut"], row["fin"],
                          row["valeur"].replace(",", ".") or None, level, row["commentaire"], now, now))
            if len(batch) == 2000:
                with transaction.atomic():
                    cursor.executemany(sql, batch)
                rows += len(batch)
                batch = []
        with transaction.atomic():
            cursor.executemany(sql, batch)
        rows += len(batch)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "rows": rows,
            "rows_per_s": round(rows / seconds)}


def main() -> None:
    production_settings()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    email, indicators, initiative_id = setup()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mesures.csv"
        write_file(path, indicators)
        size_mb = round(path.stat().st_size / 1024 / 1024, 1)
        clear(initiative_id)
        first = measured_import(path, email)
        print(f"  first run: {first['seconds']} s, {first['rows_per_s']} rows/s, peak RSS {first['peak_rss_mb']} MB",
              flush=True)
        rerun = measured_import(path, email)
        print(f"  re-run: {rerun['seconds']} s, {rerun['unchanged']} unchanged", flush=True)
        clear(initiative_id)
        bare = bare_insert(path, indicators)
        clear(initiative_id)
    write_result("evaluation_import", {
        "rows": ROWS,
        "file_mb": size_mb,
        "first_run": first,
        "rerun_same_file": rerun,
        "bare_executemany_measurements_only": bare,
        "import_over_bare_ratio": round(first["seconds"] / bare["seconds"], 2),
        "target": f"< {TARGET_S} s for {ROWS} measurements",
        "meets_target": first["seconds"] < TARGET_S and first["errors"] == 0 and first["created"] == ROWS,
    })


if __name__ == "__main__" and sys.argv[1:2] == ["child"]:
    sys.path.insert(0, str(Path(__file__).parent))
    sys.path.insert(0, str(Path(__file__).parent.parent))
    child(*sys.argv[2:5])
