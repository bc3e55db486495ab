"""The observatory's blocks of territory pages (registered from apps.py through territories' block registry):
the organisations and initiatives of the territory (`network_blocks.py`), fragility profile, co-construction
priorities, choropleth of an indicator over the children, similar territories.
"""

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalyse.core.charts import bar_chart
from catalyse.initiatives.models import Theme
from catalyse.territories import blocks
from catalyse.territories.choropleth import choropleth_chart
from catalyse.territories.models import Level, Territory

from . import counts as kept
from . import queries
from .models import Counted, Indicator, IndicatorValue, ValueStatus
from .models import Theme as IndicatorTheme
from .network_blocks import initiatives_block, organisations_block

MAP_SECONDS = 3600  # the key holds the values' state: an import shows at once; this only bounds memory
# The children a territory's map shows (the finest level its page can afford).
MAP_LEVEL = {Level.REGION: Level.DEPARTEMENT, Level.DEPARTEMENT: Level.COMMUNE, Level.EPCI: Level.COMMUNE}
PARENT_FIELD = {Level.REGION: "region_id", Level.DEPARTEMENT: "departement_id", Level.EPCI: "epci_id"}


def register_blocks() -> None:
    blocks.register_territory_block("organisations", "observatory/block_organisations.html", organisations_block,
                                    order=10)
    blocks.register_territory_block("initiatives", "observatory/block_initiatives.html", initiatives_block,
                                    order=20)
    blocks.register_territory_block("observatory_profile", "observatory/block_profile.html", profile_block, order=30)
    blocks.register_territory_block("observatory_map", "observatory/block_map.html", map_block, order=35)
    blocks.register_territory_block("observatory_similar", "observatory/block_similar.html", similar_block,
                                    order=40)
    blocks.register_territory_block("observatory_region_card", "observatory/block_region_card.html",
                                    region_card_block, order=29)


def initiatives_by_theme(request, territory: Territory) -> dict[str, int]:
    """theme code → initiatives the visitor may see in the territory and below (the counts kept per territory)."""
    counts = kept.by(kept.territory_counts(request.user, Counted.INITIATIVE, territory), "theme")
    codes = dict(Theme.objects.values_list("pk", "code"))
    return {codes[int(pk)]: n for pk, n in counts.items() if int(pk) in codes}


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
    territories = [similar.territory for similar in found]
    organisations = kept.totals(request.user, Counted.ORGANISATION, territories)
    initiatives = kept.totals(request.user, Counted.INITIATIVE, territories)
    return {"items": [{
        "territory": similar.territory, "distance": similar.distance, "close": similar.close,
        "differs": similar.differs, "organisations": organisations[similar.territory.pk],
        "initiatives": initiatives[similar.territory.pk],
    } for similar in found]}


def region_card_block(request, territory: Territory) -> dict | None:
    """A région's page links to its printable profile card (`cards.py`)."""
    if territory.level != Level.REGION or not territory.is_current:
        return None
    return {"region": territory}
