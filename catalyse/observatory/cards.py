"""Région profile cards: one printable card per région (the 13 metropolitan ones and the overseas ones) with its
population, the mix of its communes by typology, its catalysts, its initiatives and its top fragilities.

Everything is read for all régions at once (a handful of grouped queries), so the page listing every card
costs what one card costs. Counts follow what the visitor may see:
- catalysts: organisations of the network (`is_catalyst`) whose head office is in the région;
- initiatives: initiatives acting on the région or on a territory below it (counted once);
- top fragilities: the `TOP_FRAGILITIES` indicators on which the région is furthest on the worse side of the
  national reference (index = `queries.fragility` × 100; 100 = France), each marked fragile from
  `queries.FRAGILE_FROM` on, as on territory pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from catalyse.actors.queries import OrganisationFilters, organisations_for
from catalyse.territories.models import Kind, Level, Territory, Typology, Zone

from . import counts, queries
from .models import Counted, Indicator, IndicatorValue, ValueStatus

TOP_FRAGILITIES = 3


@dataclass
class TypologyShare:
    typology: str
    label: str
    communes: int
    population: int
    communes_share: float  # 0–1
    population_share: float  # 0–1


@dataclass
class Fragility:
    indicator: Indicator
    year: int
    value: float
    national: float
    index: int  # 100 = France; above is more fragile

    @property
    def is_fragile(self) -> bool:
        return self.index >= round(queries.FRAGILE_FROM * 100)


@dataclass
class RegionCard:
    region: Territory
    communes: int = 0
    typologies: list[TypologyShare] = field(default_factory=list)
    catalysts: int = 0
    initiatives: int = 0
    fragilities: list[Fragility] = field(default_factory=list)
    demo: bool = False

    @property
    def overseas(self) -> bool:
        return self.region.zone != Zone.METRO


def region_cards(user, code: str | None = None) -> list[RegionCard]:
    """The cards of every current région (metropolitan first, then overseas, by name), or of the one `code`."""
    regions = Territory.objects.filter(level=Level.REGION, kind=Kind.CURRENT)
    if code is not None:
        regions = regions.filter(code=code)
    cards = {r.pk: RegionCard(r) for r in regions}
    if not cards:
        return []
    _typologies(cards)
    catalysts = (organisations_for(user, OrganisationFilters()).filter(is_catalyst=True, region__in=cards)
                 .values_list("region").annotate(n=Count("id")).order_by())
    for region, n in catalysts:
        cards[region].catalysts = n
    # Initiatives acting on the région or below it, each once: the counts kept per territory.
    for region, n in counts.totals(user, Counted.INITIATIVE, [card.region for card in cards.values()]).items():
        cards[region].initiatives = n
    _fragilities(cards)
    return sorted(cards.values(), key=lambda c: (c.overseas, c.region.name))


def _typologies(cards: dict[int, RegionCard]) -> None:
    """Communes and population of each région by typology (an override wins over the computed typology)."""
    counts: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for region, override, computed, n, population in (
            Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT, region__in=cards)
            .values_list("region", "typology_override", "typology_computed")
            .annotate(n=Count("id"), p=Coalesce(Sum("population"), 0)).order_by()):
        slot = counts[region][override or computed]
        slot[0] += n
        slot[1] += population
    labels = dict(Typology.choices)
    for region, by_typology in counts.items():
        card = cards[region]
        card.communes = sum(n for n, _ in by_typology.values())
        total_population = sum(p for _, p in by_typology.values())
        order = list(labels)
        for typology, (n, population) in sorted(by_typology.items(),
                                                key=lambda t: order.index(t[0]) if t[0] in order else len(order)):
            card.typologies.append(TypologyShare(
                typology, str(labels.get(typology, "—")), n, population, n / card.communes,
                population / total_population if total_population else 0.0))


def _fragilities(cards: dict[int, RegionCard]) -> None:
    years = queries.latest_years()
    if not years:
        return
    national = queries.national_values(years)
    indicators = Indicator.objects.in_bulk(list(years))
    values = IndicatorValue.objects.filter(territory__in=cards, status=ValueStatus.OK, value__isnull=False,
                                           indicator__in=list(years)).values_list("territory", "indicator", "year",
                                                                                  "value")
    found: dict[int, list[Fragility]] = defaultdict(list)
    for region, ind, year, value in values:
        indicator = indicators[ind]
        cards[region].demo |= indicator.is_demo
        if years[ind] != year or ind not in national:
            continue
        score = queries.fragility(indicator, value, national[ind])
        if score is not None and score != float("inf"):
            found[region].append(Fragility(indicator, year, value, national[ind], round(score * 100)))
    for region, items in found.items():
        cards[region].fragilities = sorted(items, key=lambda f: (-f.index, f.indicator.name))[:TOP_FRAGILITIES]
