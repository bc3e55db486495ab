"""Observatory API: the indicator catalogue, values of an indicator, a territory's indicators and similar
territories. Demo indicators say so (`is_demo`): their values are fictitious."""

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from catalyse.api.pagination import LimitOffset
from catalyse.territories.keys import territory_from_key
from catalyse.territories.models import Level
from catalyse.territories.queries import territory_get

from . import queries
from .models import Indicator, IndicatorValue

router = Router(tags=["observatoire"])
territories_router = Router(tags=["observatoire"])


class ObservatoryIndicatorOut(Schema):
    code: str
    name: str
    theme: str
    unit: str
    kind: str
    direction: str
    source: str
    licence: str
    definition: str
    is_demo: bool = Field(description="Valeurs fictives de démonstration")


class ValueOut(Schema):
    indicator: str = Field(alias="indicator.code")
    level: str
    code: str = Field(alias="territory.code")
    name: str = Field(alias="territory.name")
    year: int
    value: float | None
    status: str
    computed: bool


class ValuesFilter(Schema):
    level: Level = Level.COMMUNE
    parent: str = Field("", description="level:code, ex. departement:62")
    year: int | None = None


@router.get("/indicators", response=list[ObservatoryIndicatorOut], summary="Catalogue des indicateurs")
@paginate(LimitOffset)
def indicators(request):
    return Indicator.objects.all()


@router.get("/indicators/{code}/values", response=list[ValueOut], summary="Valeurs d'un indicateur")
@paginate(LimitOffset)
def indicator_values(request, code: str, filters: Query[ValuesFilter]):
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404
    year = filters.year or queries.latest_years().get(indicator.pk)
    found = IndicatorValue.objects.filter(indicator=indicator, level=filters.level, year=year) \
        .select_related("indicator", "territory").order_by("territory__code")
    if filters.parent:
        parent = territory_from_key(filters.parent)
        if parent is None:
            raise HttpError(400, "Territoire parent inconnu (attendu niveau:code, ex. departement:62).")
        found = found.filter(parent.descendants_q("territory"))
    return found


@territories_router.get("/{level}/{code}/indicators", response=list[ValueOut],
                        summary="Indicateurs d'un territoire")
def territory_indicators(request, level: str, code: str, year: int | None = None):
    territory = territory_get(level, code)
    if territory is None:
        raise Http404
    found = IndicatorValue.objects.filter(territory=territory).select_related("indicator", "territory")
    if year:
        return list(found.filter(year=year))
    latest = queries.latest_years()
    return [v for v in found if latest.get(v.indicator_id) == v.year]


class SimilarTerritoryOut(Schema):
    level: str
    code: str
    name: str
    distance: float
    reasons: dict[str, list[str]]


@territories_router.get("/{level}/{code}/similar", response=list[SimilarTerritoryOut], summary="Territoires semblables")
def territory_similar(request, level: str, code: str):
    territory = territory_get(level, code)
    if territory is None:
        raise Http404
    return [{"level": s.territory.level, "code": s.territory.code, "name": s.territory.name,
             "distance": s.distance, "reasons": {"close": s.close, "differs": s.differs}}
            for s in queries.similar_territories(territory)]
