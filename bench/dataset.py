"""The synthetic national dataset for benchmarks: generated once per benchmark database, then reused.

Sizes come from the environment (`BENCH_ORGS`, `BENCH_INITIATIVES`; defaults: the targets of the issues,
1,000,000 organisations and 100,000 initiatives). `ensure()` regenerates only when the database holds a
different number of generated rows, so a second `make bench` starts measuring at once.

`production_settings()` must be called before `common.setup_django()` by benchmarks that go through
HTTP: DEBUG off (DEBUG records every query and shows nothing representative), static files from the
manifest like in production, no HTTPS redirect on loopback.
"""

import os
import time

ORGANISATIONS = int(os.environ.get("BENCH_ORGS", "1000000"))
INITIATIVES = int(os.environ.get("BENCH_INITIATIVES", "100000"))
SEED = 1

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
}


def production_settings() -> dict:
    """Set the environment of a production-like process (also passed to gunicorn); returns it."""
    for key, value in PRODUCTION_ENV.items():
        os.environ[key] = value
    return dict(PRODUCTION_ENV)


def _refresh_statistics() -> None:
    """Planner statistics for indexes a migration added since the dataset was generated: without them SQLite
    guessed a new (status, typology) index selective and sorted 900,000 rows for the directory's first page
    (2 s) instead of reading 20 through the (status, name) index. Both engines sample (SQLite: at most 1,000
    rows per index), so this takes well under a second."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE")


def ensure(organisations: int = ORGANISATIONS, initiatives: int = INITIATIVES) -> dict:
    """Migrate, load the territories, generate the dataset if its size differs; describe what is there."""
    from django.conf import settings
    from django.core.management import call_command

    from catalyse.actors.generate import generated_organisations
    from catalyse.initiatives.models import Initiative
    from catalyse.territories.loader import territories_load
    from catalyse.territories.models import Territory

    call_command("migrate", verbosity=0, skip_checks=True)
    _refresh_statistics()
    if not Territory.objects.exists():
        territories_load()
    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0, skip_checks=True)
    have = (generated_organisations().count(), Initiative.objects.filter(is_fictitious=True).count())
    info = {"organisations": organisations, "initiatives": initiatives, "generated_now": False}
    if have != (organisations, initiatives):
        print(f"generating the dataset: {organisations} organisations, {initiatives} initiatives "
              f"(found {have[0]}, {have[1]})", flush=True)
        start = time.perf_counter()
        call_command("generate", organisations=organisations, initiatives=initiatives, seed=SEED, clear=True,
                     verbosity=1, skip_checks=True)
        info.update(generated_now=True, generate_s=round(time.perf_counter() - start, 1))
    return info
