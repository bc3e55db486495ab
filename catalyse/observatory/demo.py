"""Demo indicators: plausible but FICTITIOUS values of seven fragility indicators for every current commune,
aggregated up the hierarchy. Registered with `catalyse load_demo` (see apps.py).

Each value is deterministic: a base per typology, nudged by the commune's size, plus a spread drawn from a
hash of (indicator, commune code), so that every load gives the same values without a random generator.
Every indicator is flagged `is_demo`: pages and exports say the values are fictitious.
"""

import zlib
from dataclasses import dataclass

from django.db import transaction

from catalyse.core.imports import bulk_insert
from catalyse.territories.models import Kind, Level, Territory, Typology

from .aggregation import aggregate
from .models import Aggregation, Direction, Indicator, IndicatorValue, Theme, ValueStatus

DEMO_YEAR = 2022
BATCH = 20_000
DEMO_SOURCE = "Catalyse — valeurs fictives de démonstration"
T = Typology


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    theme: str
    unit: str
    direction: str
    base: dict[str, float]  # typology → typical value
    spread: float  # relative: the value varies by ± spread/2 around the base
    small_effect: float = 0.0  # added for communes under 2,000 inhabitants (relative)
    lowest: float = 0.0
    highest: float = 100.0
    definition: str = ""


INDICATORS = [
    DemoIndicator("taux-chomage", "Taux de chômage des 15-64 ans", Theme.EMPLOI, "%", Direction.HIGHER_WORSE,
                  {T.METROPOLE: 10.5, T.URBAIN: 11.5, T.VILLE_MOYENNE: 11.0, T.PERIURBAIN: 7.0, T.RURAL: 8.0,
                   T.OUTRE_MER: 19.0}, 0.6, definition="Chômeurs (recensement) parmi les actifs de 15-64 ans."),
    DemoIndicator("jeunes-non-inseres", "Part des 15-24 ans ni en emploi ni en formation", Theme.EDUCATION, "%",
                  Direction.HIGHER_WORSE, {T.METROPOLE: 14.0, T.URBAIN: 17.0, T.VILLE_MOYENNE: 18.0,
                                           T.PERIURBAIN: 12.0, T.RURAL: 15.0, T.OUTRE_MER: 28.0}, 0.7),
    DemoIndicator("acces-services", "Temps d'accès moyen aux services de la vie courante", Theme.MOBILITE, "min",
                  Direction.HIGHER_WORSE, {T.METROPOLE: 2.0, T.URBAIN: 3.0, T.VILLE_MOYENNE: 4.0,
                                           T.PERIURBAIN: 7.0, T.RURAL: 11.0, T.OUTRE_MER: 8.0}, 0.8,
                  small_effect=0.4, highest=60.0),
    DemoIndicator("logements-vacants", "Part des logements vacants", Theme.LOGEMENT, "%", Direction.HIGHER_WORSE,
                  {T.METROPOLE: 7.0, T.URBAIN: 9.0, T.VILLE_MOYENNE: 11.0, T.PERIURBAIN: 6.0, T.RURAL: 10.0,
                   T.OUTRE_MER: 13.0}, 0.8, small_effect=0.2),
    DemoIndicator("densite-medecins", "Médecins généralistes pour 10 000 habitants", Theme.SANTE, "‰₀",
                  Direction.HIGHER_BETTER, {T.METROPOLE: 11.0, T.URBAIN: 10.0, T.VILLE_MOYENNE: 9.5,
                                            T.PERIURBAIN: 6.0, T.RURAL: 5.0, T.OUTRE_MER: 6.5}, 1.2,
                  small_effect=-0.6),
    DemoIndicator("taux-pauvrete", "Taux de pauvreté (seuil à 60 % du revenu médian)", Theme.ECONOMIE, "%",
                  Direction.HIGHER_WORSE, {T.METROPOLE: 17.0, T.URBAIN: 19.0, T.VILLE_MOYENNE: 18.0,
                                           T.PERIURBAIN: 9.0, T.RURAL: 13.0, T.OUTRE_MER: 33.0}, 0.6),
    DemoIndicator("surfaces-artificialisees", "Part des surfaces artificialisées", Theme.ENVIRONNEMENT, "%",
                  Direction.HIGHER_WORSE, {T.METROPOLE: 60.0, T.URBAIN: 40.0, T.VILLE_MOYENNE: 25.0,
                                           T.PERIURBAIN: 10.0, T.RURAL: 3.0, T.OUTRE_MER: 8.0}, 0.9),
]


def _unit_noise(indicator: str, code: str) -> float:
    """A stable number in [0, 1) for this indicator and commune."""
    return zlib.crc32(f"{indicator}:{code}".encode()) / 2**32


def demo_value(spec: DemoIndicator, code: str, typology: str, population: int | None) -> float:
    base = spec.base.get(typology, spec.base[T.RURAL])
    factor = 1 + spec.spread * (_unit_noise(spec.code, code) - 0.5)
    if (population or 0) < 2000:
        factor += spec.small_effect * _unit_noise(spec.code + "/small", code)
    return round(min(spec.highest, max(spec.lowest, base * factor)), 1)


def load() -> str:
    communes = list(Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT)
                    .values_list("pk", "code", "typology_override", "typology_computed", "population"))
    written = 0
    for position, spec in enumerate(INDICATORS):
        indicator, _created = Indicator.objects.update_or_create(code=spec.code, defaults={
            "name": spec.name, "theme": spec.theme, "unit": spec.unit, "kind": Aggregation.RATE,
            "direction": spec.direction, "source": DEMO_SOURCE, "licence": "—", "is_demo": True,
            "position": position, "definition": spec.definition or spec.name,
        })
        present = IndicatorValue.objects.filter(indicator=indicator, level=Level.COMMUNE, year=DEMO_YEAR).count()
        if present == len(communes):
            continue  # already loaded: load_demo is idempotent and quick the second time
        with transaction.atomic():
            IndicatorValue.objects.filter(indicator=indicator).delete()
            rows = [{"indicator_id": indicator.pk, "territory_id": pk, "level": Level.COMMUNE, "year": DEMO_YEAR,
                     "value": demo_value(spec, code, override or computed, population), "status": ValueStatus.OK,
                     "computed": False}
                    for pk, code, override, computed, population in communes]
            for start in range(0, len(rows), BATCH):
                bulk_insert(IndicatorValue, rows[start:start + BATCH])
            written += len(rows) + aggregate(indicator)
    return f"{len(INDICATORS)} indicateurs de démonstration (valeurs fictives), {written} valeurs écrites"
