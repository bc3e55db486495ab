"""Map clusters (`/api/v1/map/…`) and network statistics (`/api/v1/stats/…`)."""

from django.http import JsonResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from .queries import BBox, OrganisationFilters, map_clusters, network_stats

map_router = Router(tags=["carte"])
stats_router = Router(tags=["statistiques"])


class Cluster(Schema):
    lat: float
    lon: float
    count: int


class MapPoint(Schema):
    slug: str
    name: str
    lat: float
    lon: float
    profile: str
    commune: str = Field(description="name of the head office's commune, empty when unknown")
    trades: list[str] = Field(description="names of the organisation's trades (métiers), for the popup")


class MapOut(Schema):
    count: int = Field(description="organisations in view matching the filters")
    clusters: list[Cluster]
    points: list[MapPoint]


class MapParams(Schema):
    bbox: str = Field(description="ouest,sud,est,nord en degrés (WGS 84)", examples=["-5.5,41,10,51.5"])
    zoom: int = Field(description="niveau de zoom de la carte, 0 à 18")


@map_router.get("/organisations", response=MapOut, summary="Organisations on the map, clustered by zoom")
def map_organisations(request, params: Query[MapParams]):
    """Clusters (count and mean point per grid cell) and single points in the bounding box. Accepts the
    directory's filters: `q`, `profil`, `metier`, `perimetre`, `region`, `departement`, `typologie`,
    `territoire`, `catalyseur`."""
    try:
        bbox = BBox.parse(params.bbox)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None
    if not 0 <= params.zoom <= 18:
        raise HttpError(422, "zoom doit être compris entre 0 et 18.")
    # Built to MapOut's shape by map_clusters; returned as is, since validating thousands of points
    # through the schema would cost more than the query.
    return JsonResponse(map_clusters(request.user, OrganisationFilters.from_params(request.GET), bbox, params.zoom))


class Share(Schema):
    code: str
    label: str
    count: int
    share: float = Field(description="percentage of all catalysts")


class RegionCount(Schema):
    code: str
    name: str
    overseas: bool
    count: int
    share: float


class Total(Schema):
    count: int
    share: float


class YearCount(Schema):
    year: int
    joined: int
    cumulative: int


class NetworkStats(Schema):
    catalysts: int = Field(description="published organisations that are members of the network")
    profiles: list[Share]
    scopes: list[Share]
    trades: list[Share]
    regions: list[RegionCount]
    metropole: Total
    overseas: Total
    unlocated: int
    growth: list[YearCount]
    joined_unknown: int


@stats_router.get("/network", response=NetworkStats, summary="The network in figures")
def stats_network(request):
    return network_stats()
