"""The observatory at national scale: territory pages of régions, the choropleth of a département's communes,
the indicator import, similar territories of communes — wall-clock and CPU time, each against the bare work
it wraps in the same run.

- `page_region`: `/territoires/region/<code>/` (organisations and initiatives of the région and below,
  fragility profile, map of its départements, similar régions) through HTTP with DEBUG off, as a visitor,
  warm and cold (cache emptied), against the replay of its SQL (`bench/pages.py`). The most populated
  régions, where the generated organisations concentrate.
- `choropleth`: the map block of the départements with the most communes (outlines and values: the block's
  context, which draws the SVG), warm and with the observatory's caches emptied; bare = the values' SQL.
- `import`: `import_indicators` of a long CSV (codgeo;libgeo;an;valeur, every current commune × `--years`
  years) into an empty indicator (values + aggregation), then the same file again (nothing changes), in this
  process; bare = an `executemany` of the same values.
- `similar`: `similar_territories()` of `--communes` communes drawn at random among the current communes
  (the demo indicators give every commune seven values), warm; the first call (the standardised table
  built) timed apart; bare = the distance loop alone over the same table.
- `levels`: the pages of the département, the EPCI and the commune with the most organisations, warm and cold.
- `audiences`: the first région's page for a member close to restricted organisations and initiatives (their
  shares are added to the counts) and for an animator (every audience), warm and cold.
- `writes`: what the counts kept per territory add to writes — an organisation's action territories changed, an
  initiative's themes and territories changed (each in its transaction, with the search outbox and caches), against
  the same writes with the counts' receivers disconnected — then `observatory_counts_rebuild` of the whole dataset
  (which the writes without receivers need), timed.

Targets (issue 17): région page p95 < 300 ms with 1,000,000 organisations and 100,000 initiatives; choropleth
< 100 ms server side; import ≥ 20,000 rows/s; similar territories of a commune p95 < 200 ms.

Sizes by argument (`python bench/bench_observatory.py --orgs 20000 --initiatives 2000 --repeat 10` for a
quick run); `bench/run.py observatory` takes them from `BENCH_ORGS`, `BENCH_INITIATIVES`, `BENCH_REPEAT`.
"""

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from common import ratio, setup_django, summary, write_result  # noqa: E402
from dataset import INITIATIVES, ORGANISATIONS, ensure, production_settings  # noqa: E402
from pages import _replay, page_vs_sql, wall_and_cpu  # noqa: E402

TARGETS = {"page_region_p95_ms": 300, "choropleth_ms": 100, "import_rows_per_s": 20_000, "similar_p95_ms": 200}
REGIONS = 2  # the most populated
DEPARTEMENTS = 2  # with the most communes
IMPORT_CODE = "bench-import"


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=ORGANISATIONS)
    parser.add_argument("--initiatives", type=int, default=INITIATIVES)
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "20")))
    parser.add_argument("--communes", type=int, default=50, help="communes whose similar territories are timed")
    parser.add_argument("--years", type=int, default=4, help="years per commune in the imported file")
    parser.add_argument("--only", nargs="*", default=[],
                        choices=["page", "choropleth", "import", "similar", "levels", "audiences", "writes"])
    return parser.parse_args(argv or [])


def clear_observatory_caches() -> None:
    from django.core.cache import cache

    cache.clear()
    _clear_process_caches()


def _clear_process_caches() -> None:
    """What the observatory keeps in this process (the similarity tables, the map shapes)."""
    from catalyse.observatory import queries
    from catalyse.territories import choropleth

    queries._TABLES.clear()
    choropleth._map_shapes.cache_clear()


def region_pages(client, repeat: int) -> dict:
    from catalyse.territories.models import Kind, Level, Territory

    out = {}
    for region in Territory.objects.filter(level=Level.REGION, kind=Kind.CURRENT).order_by("-population")[:REGIONS]:
        result = page_vs_sql(client, f"/territoires/region/{region.code}/", repeat=repeat)
        result["ratio_http_over_sql_cpu_p50"] = ratio(result["http_cpu"], result["bare_sql_cpu"])
        out[f"{region.name} ({region.code})"] = result
        cold = result.get("cold", {})
        print(
            f"  région {region.name}: wall p95 {result['http']['p95_ms']} ms, CPU p95 {result['http_cpu']['p95_ms']}"
            f" ms (bare SQL {result['bare_sql']['p95_ms']}), {result['queries']} queries; cold wall p95 "
            f"{cold.get('http', {}).get('p95_ms')} ms",
            flush=True,
        )
    return out


def _page(client, label: str, url: str, repeat: int) -> dict:
    result = page_vs_sql(client, url, repeat=repeat)
    cold = result.get("cold", {})
    print(f"  {label}: wall p95 {result['http']['p95_ms']} ms, CPU p95 {result['http_cpu']['p95_ms']} ms, "
          f"{result['queries']} queries; cold wall p95 {cold.get('http', {}).get('p95_ms')} ms, CPU p95 "
          f"{cold.get('http_cpu', {}).get('p95_ms')} ms", flush=True)
    return result


def level_pages(client, repeat: int) -> dict:
    """The département, EPCI and commune holding the most organisations (by head office)."""
    from django.db.models import Count

    from catalyse.actors.models import Organisation
    from catalyse.territories.models import Kind, Territory

    out = {}
    for column in ("departement", "head_office__epci", "head_office"):
        top = (Organisation.objects.exclude(**{f"{column}__isnull": True}).values(column).annotate(n=Count("pk"))
               .order_by("-n").first())
        territory = Territory.objects.get(pk=top[column], kind=Kind.CURRENT)
        out[f"{territory.level} {territory.name} ({territory.code})"] = _page(
            client, f"{territory.level} {territory.name}", territory.get_absolute_url(), repeat)
    return out


def _bench_people():
    """A member close to restricted objects of the first région (an editor of two pending organisations, the
    creator of a partners-only initiative), and an animator."""
    from catalyse.accounts.models import Role, User
    from catalyse.actors.models import Membership, MembershipRole, Organisation, PublicationStatus
    from catalyse.initiatives.models import Initiative, Visibility

    def person(email: str, role: str) -> User:
        user = User.objects.filter(email=email).first()
        return user or User.objects.create_user(email=email, password="banc-d-essai-seulement", role=role,
                                                display_name="Banc d'essai")

    member, animator = person("bench-obs-membre@exemple.fr", Role.MEMBER), person("bench-obs-anim@exemple.fr",
                                                                                  Role.ANIMATOR)
    if not Membership.objects.filter(user=member).exists():
        for org in Organisation.objects.filter(status=PublicationStatus.PENDING).order_by("pk")[:2]:
            Membership.objects.create(user=member, organisation=org, role=MembershipRole.EDITOR)
        Initiative.objects.filter(pk=Initiative.objects.filter(visibility=Visibility.PARTNERS).order_by("pk")
                                  .values("pk")[:1]).update(created_by=member)
    return member, animator


def audience_pages(repeat: int) -> dict:
    from django.test import Client

    from catalyse.territories.models import Kind, Level, Territory

    region = Territory.objects.filter(level=Level.REGION, kind=Kind.CURRENT).order_by("-population").first()
    out = {}
    for label, user in zip(("member", "animator"), _bench_people(), strict=True):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        out[label] = _page(client, f"région {region.name} as {label}", region.get_absolute_url(), repeat)
    return out


def writes(repeat: int) -> dict:
    """Edits through the services, each refreshing its object's share of the counts in its transaction."""
    from django.core.management import call_command

    from catalyse.actors.models import Organisation, PublicationStatus
    from catalyse.actors.services import organisation_update
    from catalyse.initiatives.models import Initiative, Theme
    from catalyse.initiatives.services import initiative_update
    from catalyse.observatory import signals
    from catalyse.territories.models import Kind, Level, Territory

    epcis = list(Territory.objects.filter(level=Level.EPCI, kind=Kind.CURRENT).order_by("pk")[:repeat + 3])
    themes = list(Theme.objects.order_by("position"))
    orgs = list(Organisation.objects.filter(status=PublicationStatus.PUBLISHED).order_by("pk")[:repeat + 3])
    initiatives = list(Initiative.objects.order_by("pk")[:repeat + 3])
    turn = iter(range(10**6))

    def edit_org() -> None:
        n = next(turn)
        organisation_update(orgs[n % len(orgs)], territories=[epcis[n % len(epcis)], epcis[(n + 1) % len(epcis)]])

    def edit_initiative() -> None:
        n = next(turn)
        initiative_update(initiatives[n % len(initiatives)], themes=themes[n % 3:n % 3 + 2],
                          territories=[epcis[n % len(epcis)]])

    out = {}
    for label, fn in (("organisation_update_territories", edit_org), ("initiative_update_themes_territories",
                                                                       edit_initiative)):
        wall, cpu = wall_and_cpu(fn, repeat=repeat)
        signals.connect(disconnect=True)  # bare: the same writes without the counts' receivers
        try:
            bare_wall, bare_cpu = wall_and_cpu(fn, repeat=repeat)
        finally:
            signals.connect()
        out[label] = {"wall": wall, "cpu": cpu, "without_counts_wall": bare_wall, "without_counts_cpu": bare_cpu}
        print(f"  {label}: p50 {wall['p50_ms']} ms (CPU {cpu['p50_ms']}), p95 {wall['p95_ms']} ms; without the "
              f"counts p50 {bare_wall['p50_ms']} ms (CPU {bare_cpu['p50_ms']})", flush=True)
    # The writes without the counts left them behind: the rebuild sets them right (and is timed).
    start, cpu_start = time.perf_counter(), time.process_time()
    call_command("observatory_counts_rebuild", stdout=io.StringIO())
    out["counts_rebuild"] = {"s": round(time.perf_counter() - start, 1),
                             "cpu_s": round(time.process_time() - cpu_start, 1)}
    print(f"  counts rebuild: {out['counts_rebuild']}", flush=True)
    return out


def choropleths(repeat: int) -> dict:
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from catalyse.observatory.blocks import map_block
    from catalyse.territories.models import Kind, Level, Territory

    biggest = (
        Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT)
        .values("departement")
        .annotate(n=Count("pk"))
        .order_by("-n")[:DEPARTEMENTS]
    )
    out = {}
    for row in biggest:
        departement = Territory.objects.get(pk=row["departement"])
        request = RequestFactory().get("/", {"indicateur": "taux-chomage"})
        request.user = AnonymousUser()
        call = lambda d=departement, r=request: map_block(r, d)  # noqa: E731
        clear_observatory_caches()
        call()
        cache.clear()
        with CaptureQueriesContext(connection) as captured:  # the SQL of a cold payload
            call()
        # Cold: the payload recomputed (what the first visitor after an import waits), the outlines' shapes
        # still in this process; first: the process's caches emptied too (the first map after a start).
        cold_wall, cold_cpu = wall_and_cpu(lambda c=call: (cache.clear(), c()), repeat=repeat)
        first_wall, first_cpu = wall_and_cpu(
            lambda c=call: (clear_observatory_caches(), c()), repeat=max(3, repeat // 4), warmup=0
        )
        warm_wall, warm_cpu = wall_and_cpu(call, repeat=repeat)
        statements = [q["sql"] for q in captured.captured_queries]
        bare_wall, bare_cpu = wall_and_cpu(_replay(statements), repeat=repeat)
        out[f"{departement.name} ({departement.code})"] = {
            "communes": row["n"],
            "queries_cold": len(statements),
            "warm": warm_wall,
            "warm_cpu": warm_cpu,
            "cold": cold_wall,
            "cold_cpu": cold_cpu,
            "first_after_start": first_wall,
            "first_after_start_cpu": first_cpu,
            "bare_sql_of_cold": bare_wall,
            "bare_sql_cpu": bare_cpu,
        }
        print(
            f"  choropleth {departement.name} ({row['n']} communes): warm p95 {warm_wall['p95_ms']} ms "
            f"(CPU {warm_cpu['p95_ms']}), cold p95 {cold_wall['p95_ms']} ms (CPU {cold_cpu['p95_ms']}), first after "
            f"start p95 {first_wall['p95_ms']} ms (CPU {first_cpu['p95_ms']}), "
            f"{len(statements)} queries, bare SQL p95 {bare_wall['p95_ms']} ms",
            flush=True,
        )
    return out


def _import_file(path: Path, years: int) -> int:
    from catalyse.territories.models import Kind, Level, Territory

    rng = random.Random(17)
    rows = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write("codgeo;libgeo;an;valeur\n")
        for code, name in Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT).values_list("code", "name"):
            for year in range(2023 - years, 2023):
                f.write(f"{code};{name};{year};{rng.uniform(2, 30):.1f}".replace(".", ",") + "\n")
                rows += 1
    return rows


def _timed_import(path: Path) -> dict:
    from django.core.management import call_command

    from catalyse.core.models import ImportRun

    start, cpu = time.perf_counter(), time.process_time()
    call_command("import_indicators", str(path), "--indicator", IMPORT_CODE, stdout=io.StringIO())
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    run = ImportRun.objects.filter(kind="indicators").order_by("-pk").first()
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "rows": run.rows_done,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "errors": run.errors,
        "rows_per_s": round(run.rows_done / seconds),
        "rows_per_cpu_s": round(run.rows_done / cpu),
    }


def indicator_import(years: int) -> dict:
    from django.db import connection, transaction

    from catalyse.observatory.importers import TerritoryIndex
    from catalyse.observatory.models import Indicator, IndicatorValue
    from catalyse.territories.models import Level

    indicator, _ = Indicator.objects.get_or_create(
        code=IMPORT_CODE,
        defaults={"name": "Indicateur du banc d'essai", "theme": "emploi", "unit": "%", "position": 99},
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "indicateur.csv"
        rows = _import_file(path, years)
        IndicatorValue.objects.filter(indicator=indicator).delete()
        first = _timed_import(path)
        print(
            f"  import of {rows} rows: {first['seconds']} s, {first['rows_per_s']} rows/s "
            f"({first['rows_per_cpu_s']} per CPU second)",
            flush=True,
        )
        rerun = _timed_import(path)
        print(f"  same file again: {rerun['seconds']} s, {rerun['rows_per_s']} rows/s", flush=True)
        IndicatorValue.objects.filter(indicator=indicator).delete()
        index = TerritoryIndex(Level.COMMUNE)
        start, cpu = time.perf_counter(), time.process_time()
        with open(path, encoding="utf-8") as f, transaction.atomic(), connection.cursor() as cursor:
            next(f)
            values = []
            for line in f:
                code, _name, year, value = line.rstrip("\n").split(";")
                values.append(
                    (
                        indicator.pk,
                        index.get(code),
                        Level.COMMUNE,
                        int(year),
                        float(value.replace(",", ".")),
                        "ok",
                        False,
                    )
                )
            cursor.executemany(
                "INSERT INTO observatory_indicatorvalue (indicator_id, territory_id, level, year, "
                "value, status, computed) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                values,
            )
        bare = {"seconds": round(time.perf_counter() - start, 2), "cpu_seconds": round(time.process_time() - cpu, 2)}
        bare["rows_per_s"] = round(rows / bare["seconds"])
        IndicatorValue.objects.filter(indicator=indicator).delete()
    indicator.delete()
    _clear_process_caches()
    return {
        "rows": rows,
        "first_run": first,
        "rerun_same_file": rerun,
        "bare_executemany_values_only": bare,
        "import_over_bare_ratio": round(first["seconds"] / bare["seconds"], 2),
    }


def similar(communes: int, repeat: int) -> dict:
    from catalyse.observatory import queries
    from catalyse.territories.models import Kind, Level, Territory

    ids = list(Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT).values_list("pk", flat=True))
    picked = list(Territory.objects.filter(pk__in=random.Random(3).sample(ids, min(communes, len(ids)))))
    _clear_process_caches()
    start, cpu = time.perf_counter(), time.process_time()
    queries.similar_territories(picked[0])
    first = {
        "ms": round((time.perf_counter() - start) * 1000, 1),
        "cpu_ms": round((time.process_time() - cpu) * 1000, 1),
    }
    wall, cpu_ms = [], []
    for _ in range(max(1, repeat // 10)):
        for commune in picked:
            w, c = time.perf_counter(), time.process_time()
            queries.similar_territories(commune)
            cpu_ms.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
    # Bare: the distance loop alone over the same table (what remains is the table's key, the ten
    # territories read by id and the explanations).
    table = queries._table(Level.COMMUNE)
    rows = [table.position[commune.pk] for commune in picked]
    bare_wall, bare_cpu = wall_and_cpu(lambda: [queries._distances(table, me) for me in rows], repeat=3)
    result = {
        "communes": len(ids),
        "timed": len(wall),
        "first_call_builds_table": first,
        "warm": summary(wall),
        "warm_cpu": summary(cpu_ms),
    }
    result["bare_distance_loop_per_commune_ms"] = {
        "wall_p50": round(bare_wall["p50_ms"] / len(rows), 2),
        "cpu_p50": round(bare_cpu["p50_ms"] / len(rows), 2),
    }
    print(
        f"  similar territories of {len(picked)} communes among {len(ids)}: warm p95 {result['warm']['p95_ms']} ms "
        f"(CPU {result['warm_cpu']['p95_ms']}), first call {first['ms']} ms",
        flush=True,
    )
    return result


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    production_settings()
    setup_django()
    from django.test import Client

    from catalyse.observatory import demo

    dataset = ensure(args.orgs, args.initiatives)
    start = time.perf_counter()
    demo.load()  # seven indicators for every commune, aggregated (quick when already there)
    dataset["demo_indicators_s"] = round(time.perf_counter() - start, 1)
    only = set(args.only) or {"page", "choropleth", "import", "similar", "levels", "audiences", "writes"}
    results: dict = {"dataset": dataset, "targets": TARGETS}
    if "page" in only:
        results["page_region"] = region_pages(Client(HTTP_HOST="127.0.0.1"), args.repeat)
    if "choropleth" in only:
        results["choropleth"] = choropleths(args.repeat)
    if "import" in only:
        results["import"] = indicator_import(args.years)
    if "similar" in only:
        results["similar"] = similar(args.communes, args.repeat)
    if "levels" in only:
        results["page_levels"] = level_pages(Client(HTTP_HOST="127.0.0.1"), args.repeat)
    if "audiences" in only:
        results["page_audiences"] = audience_pages(args.repeat)
    if "writes" in only:
        results["writes"] = writes(args.repeat)
    met = {}
    if "page_region" in results:
        met["page_region"] = {
            "wall": max(r["http"]["p95_ms"] for r in results["page_region"].values()) < TARGETS["page_region_p95_ms"],
            "cpu": max(r["http_cpu"]["p95_ms"] for r in results["page_region"].values())
            < TARGETS["page_region_p95_ms"],
        }
    if "choropleth" in results:
        met["choropleth_warm"] = {
            key: max(r[key]["p95_ms"] for r in results["choropleth"].values()) < TARGETS["choropleth_ms"]
            for key in ("warm", "warm_cpu")
        }
        met["choropleth_cold"] = {
            key: max(r[key]["p95_ms"] for r in results["choropleth"].values()) < TARGETS["choropleth_ms"]
            for key in ("cold", "cold_cpu")
        }
    if "import" in results:
        first = results["import"]["first_run"]
        met["import"] = {
            "wall": first["rows_per_s"] >= TARGETS["import_rows_per_s"],
            "cpu": first["rows_per_cpu_s"] >= TARGETS["import_rows_per_s"],
        }
    if "similar" in results:
        met["similar"] = {
            key: results["similar"][key]["p95_ms"] < TARGETS["similar_p95_ms"] for key in ("warm", "warm_cpu")
        }
    results["target_met"] = met
    write_result("observatory", results)


if __name__ == "__main__":
    main(sys.argv[1:])
