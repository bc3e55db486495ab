"""Synthetic evaluation frameworks for benchmarks (`catalyse generate --evaluations N`): N fictitious initiatives
without a framework get one, with objectives, 1 to 3 indicators (the first one key), sometimes a second version of
a definition, and quarterly or yearly measurements, most approved. Bulk writes send no signal and call no service:
the network dashboard's counts are refreshed here, batch by batch."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from catalyse.core.generate import BulkWriter, analyse, delete_where_in, next_pk, reset_sequences
from catalyse.initiatives.models import Initiative

from .models import (
    Approach,
    Cumulation,
    Dimension,
    Direction,
    Disaggregation,
    Evidence,
    Framework,
    Frequency,
    ImpactFamily,
    Indicator,
    IndicatorVersion,
    InitiativeResults,
    Measure,
    Measurement,
    MeasurementStatus,
    Objective,
    ReasonCategory,
)
from .queries import add_months
from .results import initiative_results_refresh, results_rebuild

_INDICATORS = [
    ("Personnes accompagnées", "personnes"), ("Emplois créés ou maintenus", "emplois"),
    ("Partenaires engagés", "structures"), ("Tonnes de déchets évitées", "t"), ("Heures de bénévolat", "h"),
    ("Taux de satisfaction des participants", "%"), ("Niveau de coopération entre partenaires", ""),
]
_LEVELS = ["Inexistante", "Ponctuelle", "Régulière", "Instituée"]
_APPROACHES, _FAMILIES, _DIMENSIONS, _CUMULATIONS = (list(Approach.values), list(ImpactFamily.values),
                                                    list(Dimension.values), list(Cumulation.values))
_STATUS_WEIGHTS = {MeasurementStatus.APPROVED: 85, MeasurementStatus.SUBMITTED: 8, MeasurementStatus.DRAFT: 5,
                   MeasurementStatus.RETURNED: 2}


def evaluations_generate(*, count: int, seed: int = 0, batch: int = 2_000,
                         progress: Callable[[int], None] | None = None) -> int:
    rng = random.Random(seed + 7)
    candidates = list(Initiative.objects.filter(is_fictitious=True, evaluation__isnull=True).order_by("pk")
                      .values_list("pk", flat=True)[:count])
    if len(candidates) < count:
        raise ValueError(f"Seulement {len(candidates)} initiatives fictives sans cadre d'évaluation : générez "
                         "d'abord des initiatives (--initiatives).")
    models_ = [Framework, Objective, Indicator, IndicatorVersion, Measurement, Disaggregation]
    writers = {m: BulkWriter(m) for m in models_}
    pks = {m: next_pk(m) for m in models_}
    today = date.today()
    statuses, status_weights = list(_STATUS_WEIGHTS), list(_STATUS_WEIGHTS.values())
    done = 0
    for start in range(0, len(candidates), batch):
        ids = candidates[start:start + batch]
        rows: dict = {m: [] for m in models_}

        def add(model, rows=rows, **values) -> int:
            pk = pks[model]
            pks[model] += 1
            rows[model].append({"id": pk, **values})
            return pk

        for initiative_id in ids:
            add(Framework, initiative_id=initiative_id, approach=rng.choice(_APPROACHES),
                tier_names=json.dumps(["Finalité", "Objectif stratégique", "Objectif opérationnel", "Activité"]))
            goal = add(Objective, initiative_id=initiative_id, tier=0, title="Finalité partagée", position=0,
                       is_public=True)
            objectives = [goal] + [add(Objective, initiative_id=initiative_id, parent_id=goal, tier=1, position=i,
                                       title=f"Objectif stratégique {i + 1}", is_public=rng.random() < 0.8)
                                   for i in range(rng.randint(1, 2))]
            for i, (name, unit) in enumerate(rng.sample(_INDICATORS, k=rng.randint(1, 3))):
                _indicator(add, rows, rng, today, statuses, status_weights, initiative_id=initiative_id, key=i == 0,
                           objective_id=rng.choice(objectives), name=name, unit=unit)
        with transaction.atomic():
            for model in models_:
                writers[model].write(rows[model])
            initiative_results_refresh(initiative_ids=ids)
        done += len(ids)
        if progress:
            progress(done)
    reset_sequences(*models_)
    analyse(*models_, InitiativeResults)
    return done


def _indicator(add, rows: dict, rng: random.Random, today: date, statuses, status_weights, **sheet) -> None:
    scale = sheet["unit"] == "" and sheet["name"].startswith("Niveau")
    percentage = sheet["unit"] == "%"
    measure = Measure.SCALE if scale else Measure.PERCENTAGE if percentage else Measure.NUMBER
    direction = Direction.DECREASE if sheet["name"].startswith("Tonnes") and rng.random() < 0.5 else \
        Direction.INCREASE
    cumulation = Cumulation.NONE if scale or percentage else rng.choice(_CUMULATIONS)
    baseline_date = date(rng.randint(2016, 2023), rng.choice([1, 4, 7, 10]), 1)
    if scale:
        baseline, final = Decimal(1), Decimal(4)
    elif percentage:
        baseline, final = Decimal(rng.randint(20, 50)), Decimal(rng.randint(60, 90))
    else:
        baseline = Decimal(rng.randint(0, 50)) if cumulation != Cumulation.CUMULATIVE else Decimal(0)
        final = baseline + Decimal(rng.randint(20, 500))
    if direction == Direction.DECREASE:
        baseline, final = final, baseline
    years = rng.randint(2, 5)
    targets = [{"date": add_months(baseline_date, 12 * (years // 2 or 1)).isoformat(),
                "value": str((baseline + final) / 2 if not scale else Decimal(2))},
               {"date": add_months(baseline_date, 12 * years).isoformat(), "value": str(final)}]
    frequency = rng.choice([Frequency.QUARTERLY, Frequency.QUARTERLY, Frequency.YEARLY])
    indicator = add(Indicator, impact_family=rng.choice(_FAMILIES),
                    dimension=rng.choice(_DIMENSIONS), frequency=frequency, is_public=rng.random() < 0.7,
                    current_version=1, **sheet)
    definition = {"definition": f"{sheet['name']} grâce à l'alliance.", "computation": "Relevé des partenaires.",
                  "measure": measure, "scale_levels": json.dumps(_LEVELS if scale else []), "direction": direction,
                  "cumulation": cumulation, "baseline_value": str(baseline), "baseline_date": baseline_date.isoformat(),
                  "targets": json.dumps(targets)}
    versions = [add(IndicatorVersion, indicator_id=indicator, number=1, **definition)]
    months = 3 if frequency == Frequency.QUARTERLY else 12
    end_of_plan = add_months(baseline_date, 12 * years)
    period_start, n = baseline_date, 0
    steps = max(1, 12 * years // months)
    revised_at = rng.randint(2, steps) if rng.random() < 0.15 else None
    while True:
        period_end = add_months(period_start, months) - timedelta(days=1)
        if period_end > min(today, end_of_plan):
            break
        n += 1
        if n == revised_at:
            add(IndicatorVersion, indicator_id=indicator, number=2, reason_category=ReasonCategory.CONTEXT,
                reason_text="Le contexte a changé.", decided_on=period_start.isoformat(),
                **(definition | {"definition": definition["definition"] + " (périmètre élargi)"}))
            versions.append(versions[0] + 1)
        share = Decimal(n) / Decimal(steps)
        if scale:
            value, level = None, min(4, 1 + int(3 * share * Decimal(rng.uniform(0.6, 1.3))))
        else:
            step = (final - baseline) * share * Decimal(str(round(rng.uniform(0.6, 1.3), 2)))
            value = (step / steps if cumulation == Cumulation.CUMULATIVE else baseline + step).quantize(Decimal("0.01"))
            level = None
        add(Measurement, indicator_id=indicator, version_id=versions[-1], period_start=period_start.isoformat(),
            period_end=period_end.isoformat(), value=str(value) if value is not None else None, level=level,
            status=rng.choices(statuses, status_weights)[0])
        period_start = period_end + timedelta(days=1)
    if len(versions) > 1:
        indicator_row = next(row for row in reversed(rows[Indicator]) if row["id"] == indicator)
        indicator_row["current_version"] = 2


def evaluations_clear() -> int:
    """Delete the frameworks of fictitious initiatives and everything they hold, then recount the dashboard."""
    initiatives = Initiative.objects.filter(is_fictitious=True).values("pk")
    count = Framework.objects.filter(initiative__in=initiatives).count()
    indicators = Indicator.objects.filter(initiative__in=initiatives).values("pk")
    measurements = Measurement.objects.filter(indicator__in=indicators).values("pk")
    with transaction.atomic():
        delete_where_in(Disaggregation, "measurement_id", measurements)
        for through in (Evidence.indicators.through, Evidence.measurements.through):
            column = "indicator_id" if through is Evidence.indicators.through else "measurement_id"
            delete_where_in(through, column, indicators if column == "indicator_id" else measurements)
        delete_where_in(Measurement, "indicator_id", indicators)
        delete_where_in(IndicatorVersion, "indicator_id", indicators)
        delete_where_in(Indicator, "initiative_id", initiatives)
        delete_where_in(Objective.evidence.through, "objective_id",
                        Objective.objects.filter(initiative__in=initiatives).values("pk"))
        Objective.objects.filter(initiative__in=initiatives).update(parent=None, contributes_to=None)
        delete_where_in(Objective, "initiative_id", initiatives)
        delete_where_in(Framework.leads.through, "framework_id",
                        Framework.objects.filter(initiative__in=initiatives).values("pk"))
        delete_where_in(Framework, "initiative_id", initiatives)
        results_rebuild()
    return count
