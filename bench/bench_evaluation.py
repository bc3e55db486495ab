"""Evaluation dashboards (issue 15), through HTTP against the bare SQL they run (pages.page_vs_sql).

- Initiative dashboard (/initiatives/<slug>/evaluation/tableau-de-bord/) of an alliance built here: 5 indicators
  × 10 years of monthly approved measurements (600 values, each with two disaggregations, one indicator with a
  second version), 20 pieces of evidence; as a visitor and as a partner. Target: p95 < 150 ms.
- Network dashboard (/evaluation/) over the generated initiatives, each given a generated framework
  (`catalyse generate --evaluations`); as a visitor, a member and an animator. Target: p95 < 500 ms at 100,000
  initiatives. The page reads pre-aggregated counts (evaluation/results.py); the cost of keeping them true is
  measured too: `initiative_results_refresh` of one initiative, what every evaluation write adds.

Sizes: BENCH_ORGS and BENCH_INITIATIVES as for every benchmark (dataset.py); every generated initiative gets a
framework. For a quick run: `BENCH_ORGS=20000 BENCH_INITIATIVES=10000 make bench BENCH_ARGS=evaluation`.
"""

import os
import time
from datetime import date, timedelta
from decimal import Decimal

from common import setup_django, summary, timings, write_result
from dataset import ensure, production_settings
from pages import explain, page_vs_sql, slowest_statement

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
INITIATIVE_TARGET_MS, NETWORK_TARGET_MS = 150, 500
SLUG = "bench-evaluation-tableau"


def _frameworks(initiatives: int) -> dict:
    from django.core.management import call_command

    from catalyse.evaluation.models import Framework
    from catalyse.initiatives.models import Initiative

    have = Framework.objects.filter(initiative__is_fictitious=True).count()
    want = Initiative.objects.filter(is_fictitious=True).count()
    info = {"frameworks": want, "generated_now": False}
    if have < want:
        print(f"generating {want - have} evaluation frameworks", flush=True)
        start = time.perf_counter()
        call_command("generate", evaluations=want - have, seed=1, verbosity=1, skip_checks=True)
        info.update(generated_now=True, generate_s=round(time.perf_counter() - start, 1))
    from catalyse.evaluation.models import Indicator, Measurement

    info["indicators"] = Indicator.objects.count()
    info["measurements"] = Measurement.objects.count()
    return info


def _dashboard_initiative():
    """The alliance of the initiative dashboard benchmark and a partner's account (created once)."""
    from django.contrib.auth import get_user_model

    from catalyse.actors.models import Membership, Organisation
    from catalyse.evaluation import services
    from catalyse.evaluation.models import (
        Disaggregation,
        Evidence,
        EvidenceKind,
        Indicator,
        IndicatorVersion,
        Measurement,
        MeasurementStatus,
    )
    from catalyse.evaluation.results import initiative_results_refresh
    from catalyse.initiatives.models import Initiative, Partnership, Role

    user, _ = get_user_model().objects.get_or_create(username="bench-partenaire@example.org",
                                                     defaults={"email": "bench-partenaire@example.org"})
    initiative = Initiative.objects.filter(slug=SLUG).first()
    if initiative is not None:
        return initiative, user
    initiative = Initiative.objects.create(title="Alliance du banc d'essai de l'évaluation", slug=SLUG,
                                           summary="Banc d'essai du tableau de bord.")
    organisation = Organisation.objects.filter(status="published").first()
    Partnership.objects.create(initiative=initiative, organisation=organisation, role=Role.PORTEUR)
    Membership.objects.get_or_create(user=user, organisation=organisation)
    start = date(2015, 1, 1)
    for i in range(5):
        indicator = services.indicator_create(
            initiative=initiative, name=f"Indicateur {i + 1}", definition="Mesure du banc d'essai.",
            computation="Relevé mensuel.", unit="personnes", key=i < 2, is_public=True,
            baseline_value=10, baseline_date=start,
            targets=[{"date": "2020-01-01", "value": 60}, {"date": "2025-01-01", "value": 120}],
            cumulation=["none", "cumulative_latest", "none", "none", "none"][i])
        if i == 0:  # a second version at the fifth year: a break on the chart
            services.indicator_update(indicator, targets=[{"date": "2020-01-01", "value": 60},
                                                          {"date": "2025-01-01", "value": 100}],
                                      reason_category="context", reason_text="Nouveau contexte.",
                                      decided_on=date(2020, 1, 1))
        versions = {v.number: v for v in IndicatorVersion.objects.filter(indicator=indicator)}
        measurements = []
        day = start
        for month in range(120):
            end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            version = versions[2] if i == 0 and month >= 60 else versions[1]
            measurements.append(Measurement(indicator=indicator, version=version, period_start=day, period_end=end,
                                            value=Decimal(10 + month), status=MeasurementStatus.APPROVED))
            day = end + timedelta(days=1)
        Measurement.objects.bulk_create(measurements)
        Disaggregation.objects.bulk_create(
            Disaggregation(measurement=m, dimension="genre", category=category, value=m.value / 2)
            for m in measurements for category in ("femmes", "hommes"))
        for k in range(4):
            evidence = Evidence.objects.create(initiative=initiative, kind=EvidenceKind.FIGURE,
                                               title=f"Preuve {i}-{k}", is_public=k % 2 == 0)
            evidence.indicators.add(indicator)
    initiative_results_refresh(initiative_ids=[initiative.pk])
    assert Indicator.objects.filter(initiative=initiative).count() == 5
    return initiative, user


def _clients(partner):
    from django.contrib.auth import get_user_model
    from django.test import Client

    visitor = Client(HTTP_HOST="127.0.0.1")
    member_user, _ = get_user_model().objects.get_or_create(username="bench-membre@example.org",
                                                            defaults={"email": "bench-membre@example.org"})
    animator_user, _ = get_user_model().objects.get_or_create(
        username="bench-animateur@example.org", defaults={"email": "bench-animateur@example.org",
                                                          "role": "animator"})
    clients = {"visitor": visitor}
    for label, user in (("member", member_user), ("animator", animator_user), ("partner", partner)):
        clients[label] = Client(HTTP_HOST="127.0.0.1")
        clients[label].force_login(user)
    return clients


def main() -> None:
    production_settings()
    setup_django()
    from catalyse.evaluation.models import Indicator
    from catalyse.evaluation.results import initiative_results_refresh

    dataset = ensure()
    dataset.update(_frameworks(dataset["initiatives"]))
    initiative, partner = _dashboard_initiative()
    clients = _clients(partner)
    load_before = os.getloadavg()
    url = f"/initiatives/{SLUG}/evaluation/tableau-de-bord/"
    pages, plans = {}, {}
    for label in ("visitor", "partner"):
        pages[f"initiative_{label}"] = page_vs_sql(clients[label], url, {"au": "2025-06-30"}, repeat=REPEAT)
    for label in ("visitor", "member", "animator"):
        pages[f"network_{label}"] = page_vs_sql(clients[label], "/evaluation/", repeat=REPEAT)
    for label, r in pages.items():
        target = INITIATIVE_TARGET_MS if label.startswith("initiative") else NETWORK_TARGET_MS
        print(f"  {label}: p95 {r['http']['p95_ms']} ms, CPU {r['http_cpu']['p95_ms']} ms (bare SQL "
              f"{r['bare_sql']['p95_ms']} ms, {r['queries']} queries)", flush=True)
        if r["http"]["p95_ms"] > target:
            ms, sql = slowest_statement(clients[label.split("_")[1]], r["url"])
            plans[label] = {"slowest_query_ms": round(ms, 1), "sql": sql[:2000], "plan": explain(sql)}
    # What keeping the counts true costs each write: one initiative's share recomputed and applied.
    sample = list(Indicator.objects.filter(initiative__is_fictitious=True, is_public=True)
                  .values_list("initiative_id", flat=True)[:50])
    ids = iter(sample * (REPEAT // max(len(sample), 1) + 2))
    refresh = summary(timings(lambda: initiative_results_refresh(initiative_ids=[next(ids)]), repeat=REPEAT))
    print(f"  refresh of one initiative's counts: p95 {refresh['p95_ms']} ms", flush=True)
    initiative_worst = max(pages[k]["http"]["p95_ms"] for k in pages if k.startswith("initiative"))
    network_worst = max(pages[k]["http"]["p95_ms"] for k in pages if k.startswith("network"))
    write_result("evaluation", {
        "dataset": dataset,
        "loadavg_1min_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "pages": pages,
        "results_refresh_one_initiative": refresh,
        "targets": {
            "initiative_dashboard_p95_under_150ms": initiative_worst < INITIATIVE_TARGET_MS,
            "network_dashboard_p95_under_500ms": network_worst < NETWORK_TARGET_MS,
            "in_cpu_time": {
                "initiative": max(pages[k]["http_cpu"]["p95_ms"] for k in pages if k.startswith("initiative"))
                < INITIATIVE_TARGET_MS,
                "network": max(pages[k]["http_cpu"]["p95_ms"] for k in pages if k.startswith("network"))
                < NETWORK_TARGET_MS,
            },
        },
        "plans_of_slow_pages": plans,
    })


if __name__ == "__main__":
    main()
