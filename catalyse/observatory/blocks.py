"""The observatory's blocks of territory pages (registered from apps.py through territories' block registry):
fragility profile, co-construction priorities, choropleth of an indicator over the children, similar territories.
"""

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalyse.actors import browse_cache
from catalyse.actors.queries import OrganisationFilters, organisations_for
from catalyse.core.cache_version import cached_for_audience, visitors_audience
from catalyse.core.charts import bar_chart
from catalyse.initiatives import queries as initiative_queries
from catalyse.initiatives.models import Initiative, Theme
from catalyse.initiatives.queries import InitiativeFilters, initiatives_for
from catalyse.territories import blocks
from catalyse.territories.choropleth import choropleth_chart
from catalyse.territories.models import Level, Territory

from . import queries
from .models import Indicator, IndicatorValue, ValueStatus
from .models import Theme as IndicatorTheme

MAP_SECONDS = 3600  # the key holds the values' state: an import shows at once; this only bounds memory
# The children a territory's map shows (the finest level its page can afford).
MAP_LEVEL = {Level.REGION: Level.DEPARTEMENT, Level.DEPARTEMENT: Level.COMMUNE, Level.EPCI: Level.COMMUNE}
PARENT_FIELD = {Level.REGION: "region_id", Level.DEPARTEMENT: "departement_id", Level.EPCI: "epci_id"}


def register_blocks() -> None:
    blocks.register_territory_block("observatory_profile", "observatory/block_profile.html", profile_block, order=30)
    blocks.register_territory_block("observatory_map", "observatory/block_map.html", map_block, order=35)
    blocks.register_territory_block("observatory_similar", "observatory/block_similar.html", similar_block,
                                    order=40)
    blocks.register_territory_block("observatory_region_card", "observatory/block_region_card.html",
                                    region_card_block, order=29)


def initiatives_by_theme(request, territory: Territory) -> dict[str, int]:
    def compute() -> dict[str, int]:
        ids = initiatives_for(request.user, InitiativeFilters(territory=territory)).values("pk")
        return dict(Initiative.themes.through.objects.filter(initiative_id__in=ids)
                    .values_list("theme__code").annotate(n=Count("initiative_id", distinct=True)).order_by())

    return initiative_queries.cached_for_audience(request.user, f"observatory-themes|{territory.key}", compute)


def organisations_count(request, territory: Territory) -> int:
    """Like the territory's own block, shared by visitors for a minute under the directory's data version:
    ten similar régions are ten counts over a fifth of a million organisations each."""
    return cached_for_audience(
        browse_cache.DIRECTORY_VERSION, "observatory:organisations", territory.key,
        lambda: organisations_for(request.user, OrganisationFilters(territory=territory)).count(),
        audience=visitors_audience(request.user), seconds=browse_cache.SECONDS)


def initiatives_count(request, territory: Territory) -> int:
    return initiative_queries.cached_for_audience(
        request.user, f"observatory-count|{territory.key}",
        lambda: initiatives_for(request.user, InitiativeFilters(territory=territory)).count())


def profile_block(request, territory: Territory) -> dict | None:
    rows = queries.profile(territory)
    if not any(row.value is not None for row in rows):
        return None
    chart = bar_chart(
        _("Indice de fragilité par indicateur (100 = France)"),
        [(row.indicator.name, round(row.fragility * 100)) for row in rows if row.fragility not in (None, float("inf"))],
        value_label=_("Indice"),
        description=_("Au-dessus de 100, le territoire est plus fragile que la moyenne nationale sur cet indicateur."),
    )
    theme_names = dict(Theme.objects.values_list("code", "name")) | dict(IndicatorTheme.choices)
    priorities = queries.priority_themes(queries.worst_by_theme(rows), initiatives_by_theme(request, territory))
    return {
        "rows": rows, "chart": chart, "demo": any(row.indicator.is_demo for row in rows),
        "priorities": [(theme_names.get(p.theme, p.theme), round(p.fragility * 100), p.initiatives)
                       for p in priorities],
        "fragile_from": round((queries.FRAGILE_FROM - 1) * 100), "few": queries.FEW_INITIATIVES,
        "has_region": bool(territory.region_id and territory.region_id != territory.pk),
    }


def map_block(request, territory: Territory) -> dict | None:
    level = MAP_LEVEL.get(territory.level)
    indicators = list(Indicator.objects.all())
    if level is None or not indicators:
        return None
    chosen = next((i for i in indicators if i.code == request.GET.get("indicateur")), indicators[0])
    year = queries.latest_years().get(chosen.pk)
    # The chart (outlines projected, classes, table) is the same for everyone: cached per territory, indicator
    # and year under the values' state, which every import and aggregation moves.
    key = f"observatory:map:{queries.values_state()}:{get_language()}:{territory.pk}:{chosen.pk}:{year}"
    chart = cache.get(key)
    if chart is None:
        chart = _map_chart(territory, level, chosen, year)
        cache.set(key, chart, MAP_SECONDS)
    return {"chart": chart, "indicators": indicators, "chosen": chosen, "year": year}


def _map_chart(territory: Territory, level: str, chosen: Indicator, year: int | None):
    values = {}
    if year:
        values = dict(IndicatorValue.objects.filter(
            indicator=chosen, year=year, level=level, territory__kind="current",
            **{f"territory__{PARENT_FIELD[territory.level]}": territory.pk},
        ).exclude(status__in=[ValueStatus.SECRET, ValueStatus.MISSING]).values_list("territory__code", "value"))
    return choropleth_chart(territory, level, values, title=f"{chosen.name} ({year})", unit=chosen.unit,
                            value_label=chosen.name, source=chosen.source)


def similar_block(request, territory: Territory) -> dict | None:
    if territory.level not in (Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION) \
            or not territory.is_current or not Indicator.objects.exists():
        return None
    found = queries.similar_territories(territory)
    if not found:
        return None
    items = []
    for similar in found:
        items.append({
            "territory": similar.territory, "distance": similar.distance, "close": similar.close,
            "differs": similar.differs,
            "organisations": organisations_count(request, similar.territory),
            "initiatives": initiatives_count(request, similar.territory),
        })
    return {"items": items}


def region_card_block(request, territory: Territory) -> dict | None:
    """A région's page links to its printable profile card (`cards.py`)."""
    if territory.level != Level.REGION or not territory.is_current:
        return None
    return {"region": territory}
