"""RNA (waldec) import: rows per second and peak memory, first run and re-run, against a bare executemany
insert of the same rows.

The benchmark writes its own waldec file (`BENCH_IMPORT_ROWS`, default 200,000 rows, real column layout,
homonyms included so that slugs collide) to a temporary directory. Each import runs in a child process
(`catalyse import_organisations --format rna`) so that its peak RSS is its own, not the benchmark's.
Target (issue 4): ≥ 5,000 rows/s and peak memory < 300 MB, on SQLite and on PostgreSQL.
"""

import csv
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

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "200000"))
TARGET_ROWS_PER_S = 5000
TARGET_PEAK_MB = 300
KINDS = ["Comité des fêtes de", "Amicale laïque de", "Club sportif de", "Les amis de", "Association familiale de",
         "Union des commerçants de", "Jardins partagés de", "Tiers-lieu de", "Ressourcerie de", "École de musique de"]
THEMES = ["la solidarité", "l'entraide", "la culture", "la jeunesse", "l'environnement", "la mémoire", "la danse",
          "l'insertion", "la santé", "la mobilité", "l'économie circulaire", "la lecture"]


def valid_siret(n: int) -> str:
    from catalyse.actors.tests.import_helpers import siret

    return siret(n)


def taken_sirets(rows: int) -> set[str]:
    """SIRETs the file could use that the generated dataset already holds: an import would rightly treat
    those rows as updates of existing organisations, and the bare insert would hit the unique index."""
    from catalyse.actors.models import Organisation

    candidates = [valid_siret(10_000_000 + i) for i in range(rows)]
    taken: set[str] = set()
    for start in range(0, rows, 5000):
        chunk = candidates[start:start + 5000]
        taken.update(Organisation.objects.filter(siret__in=chunk).values_list("siret", flat=True))
    return taken


def write_waldec(path: Path, rows: int, communes: list[tuple[str, str, str]], taken: set[str]) -> None:
    from catalyse.actors.tests.import_helpers import RNA_HEADER

    rng = random.Random(4)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(RNA_HEADER.split(";"))
        for i in range(rows):
            code, postal, name = rng.choice(communes)
            title = f"{rng.choice(KINDS)} {name}" if rng.random() < 0.6 else f"Association pour {rng.choice(THEMES)} " \
                f"à {name}"
            dissolved = rng.random() < 0.08
            siret = valid_siret(10_000_000 + i) if rng.random() < 0.15 else ""
            writer.writerow([
                # A letter after the département: never one of the generated dataset's all-digit numbers.
                f"W{code[:2]}X{i:06d}", "", "" if siret in taken else siret, "", "621P",
                "2001-05-12", "2019-03-02", "2001-06-01", "2021-09-30" if dissolved else "0001-01-01", "D", "S",
                title.upper(), "", f"promouvoir {rng.choice(THEMES)} et {rng.choice(THEMES)} auprès des habitants",
                "006100", "000000", "", str(rng.randint(1, 200)), "", "RUE", "de la République", "_", code, postal,
                name.upper(), "", "", "", "", "", postal, name.upper(), "FRANCE", "PM",
                "www.exemple.org" if rng.random() < 0.1 else "", "0", "", "D" if dissolved else "A",
                "2020-01-09 12:46:10",
            ])


def child(path: str) -> None:
    """Runs in a subprocess: one import through the real command, then its time and peak RSS as JSON.
    As in production, the search index is fed by the task worker, not inside the import: each batch leaves
    outbox rows and queues one task (see catalyse/search/outbox.py)."""
    production_settings()
    os.environ["CATALYSE_TASKS_BACKEND"] = "database"
    setup_django()
    from django.core.management import call_command

    from catalyse.core.models import ImportRun

    start, cpu = time.perf_counter(), time.process_time()
    call_command("import_organisations", path, "--format", "rna", verbosity=0, stdout=io.StringIO())
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    run = ImportRun.objects.order_by("-pk").first()
    print(json.dumps({"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "rows": run.rows_done,
                      "created": run.created, "updated": run.updated,
                      "unchanged": run.unchanged, "errors": run.errors, "warnings": run.warnings,
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


def measured_import(path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "child", str(path)], check=True, capture_output=True, text=True,
                         env=os.environ.copy(), cwd=Path(__file__).parent.parent)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["rows_per_s"] = round(result["rows"] / result["seconds"])
    # On a shared machine the wall clock includes waiting for a core; CPU time is what the import costs.
    result["rows_per_cpu_s"] = round(result["rows"] / result["cpu_seconds"])
    return result


def bare_insert(path: Path) -> dict:
    """The same rows straight into the table: csv module + executemany, 1,000 rows per transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    # The file's own values in the same columns (the name lower-cased as a stand-in for the folded name), so
    # that the indexes do the same work; what the bare insert skips is parsing rules, lookups and slugs.
    sql = ("INSERT INTO actors_organisation (name, search_name, slug, profile, legal_form, scope, address, "
           "postal_code, website, email, description, logo, siren, siret, rna, is_catalyst, status, is_fictitious, "
           "source, typology, created_at, updated_at, version) VALUES "
           "(%s, %s, %s, 'interet_general', 'Association déclarée', 'local', %s, %s, %s, '', %s, '', %s, %s, %s, "
           "false, 'published', false, 'rna', '', %s, %s, 1)")
    from catalyse.core.imports import SQLITE_CACHE_KB

    if connection.vendor == "sqlite":
        connection.cursor().execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")  # as the import does
    start, cpu = time.perf_counter(), time.process_time()
    rows = 0
    with open(path, encoding="utf-8", newline="") as f, connection.cursor() as cursor:
        reader = csv.DictReader(f, delimiter=";")
        batch = []
        for row in reader:
            batch.append((row["titre"], row["titre"].lower(), f"bare-{row['id'].lower()}", row["adrs_libvoie"],
                          row["adrs_codepostal"], row["siteweb"], row["objet"], row["siret"][:9], row["siret"],
                          row["id"], now, now))
            if len(batch) == 1000:
                with transaction.atomic():
                    cursor.executemany(sql, batch)
                rows += len(batch)
                batch = []
        with transaction.atomic():
            cursor.executemany(sql, batch)
        rows += len(batch)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "rows": rows,
            "rows_per_s": round(rows / seconds), "rows_per_cpu_s": round(rows / cpu)}


def clear_rna() -> None:
    from django_tasks.backends.database.models import DBTaskResult

    from catalyse.actors.models import Organisation
    from catalyse.search.models import OutboxEntry

    # A raw delete: RNA rows have no links, and the ORM's collector would load them all first. Their outbox
    # rows and queued tasks go too, so that the benchmark database's search index is left as it was.
    rna = Organisation.objects.filter(source="rna")
    OutboxEntry.objects.filter(kind="organisation", object_id__in=rna.values("pk"))._raw_delete(OutboxEntry.objects.db)
    rna._raw_delete(Organisation.objects.db)
    DBTaskResult.objects.all().delete()
    from django.db import connection

    if connection.vendor == "postgresql":
        # The deleted rows stay in the table and its twenty indexes until vacuumed: without this, each run
        # inserts into a more bloated table than the one before (measured: -10 % per run).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) actors_organisation, search_outboxentry")


def main() -> None:
    production_settings()
    setup_django()
    from django.core.management import call_command

    from catalyse.territories.loader import territories_load
    from catalyse.territories.models import Kind, Level, Territory

    call_command("migrate", verbosity=0)
    if not Territory.objects.filter(level=Level.COMMUNE).exists():
        territories_load()
    communes = [(c, (p or "00000").split()[0], n) for c, p, n in Territory.objects.filter(
        level=Level.COMMUNE, kind=Kind.CURRENT).values_list("code", "postal_codes", "name")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rna_waldec_bench.csv"
        write_waldec(path, ROWS, communes, taken_sirets(ROWS))
        size_mb = round(path.stat().st_size / 1024 / 1024, 1)
        clear_rna()
        first = measured_import(path)
        print(f"  first run: {first['rows_per_s']} rows/s, peak RSS {first['peak_rss_mb']} MB", flush=True)
        rerun = measured_import(path)
        print(f"  re-run: {rerun['rows_per_s']} rows/s, {rerun['unchanged']} unchanged", flush=True)
        clear_rna()
        bare = bare_insert(path)
        clear_rna()
    write_result("import_rna", {
        "rows": ROWS,
        "file_mb": size_mb,
        "first_run": first,
        "rerun_same_file": rerun,
        "bare_executemany": bare,
        "bare_over_import_ratio": round(bare["rows_per_s"] / first["rows_per_s"], 2),
        "bare_over_import_ratio_cpu": round(bare["rows_per_cpu_s"] / first["rows_per_cpu_s"], 2),
        "note": "CPU time is the importing process's; on PostgreSQL the server's work is not in it.",
        "target": f">= {TARGET_ROWS_PER_S} rows/s, peak RSS < {TARGET_PEAK_MB} MB",
        "meets_target": first["rows_per_s"] >= TARGET_ROWS_PER_S and first["peak_rss_mb"] < TARGET_PEAK_MB
        and rerun["rows_per_s"] >= TARGET_ROWS_PER_S and rerun["peak_rss_mb"] < TARGET_PEAK_MB,
    })


if __name__ == "__main__" and sys.argv[1:2] == ["child"]:
    sys.path.insert(0, str(Path(__file__).parent))
    sys.path.insert(0, str(Path(__file__).parent.parent))
    child(sys.argv[2])
