"""/api/v1/resources: the library and the toolbox as JSON, with the pages' visibility rules.

Lists are paginated (`limit`/`offset`, total `count`); an unknown filter value answers 422 with its name, a
resource the person may not see 404 (its existence is not revealed)."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from catalyse.api.pagination import LimitOffset
from catalyse.core import permissions
from catalyse.events.models import Event
from catalyse.initiatives.models import Initiative, Theme
from catalyse.territories.models import Territory

from . import queries
from .models import Collection, Family, Resource, ResourceType, Tool

router = Router(tags=["ressources"])


class OwnerOut(Schema):
    kind: str = Field(description="organisation, initiative, event ou network")
    name: str
    url: str


class ResourceOut(Schema):
    id: int
    title: str
    resource_type: ResourceType
    summary: str
    published_on: date | None
    authors: list[str]
    themes: list[str]
    territories: list[str] = Field(description="codes des territoires")
    collections: list[str]
    initiatives: list[str] = Field(description="adresses (slugs) des initiatives liées visibles")
    events: list[str] = Field(description="adresses (slugs) des événements liés visibles")
    tags: list[str]
    licence: str
    link: str = Field(description="le fichier ou l'adresse de la ressource")
    visibility: str
    owner: OwnerOut
    url: str
    created_at: datetime

    @staticmethod
    def resolve_authors(obj: Resource) -> list[str]:
        names = [o.name for o in obj.author_organisations.all()]
        return names + [n.strip() for n in obj.authors_text.split(";") if n.strip()]

    @staticmethod
    def resolve_themes(obj: Resource) -> list[str]:
        return [t.code for t in obj.themes.all()]

    @staticmethod
    def resolve_territories(obj: Resource) -> list[str]:
        return [t.code for t in obj.territories.all()]

    @staticmethod
    def resolve_collections(obj: Resource) -> list[str]:
        return [c.slug for c in obj.collections.all()]

    @staticmethod
    def resolve_initiatives(obj: Resource, context) -> list[str]:
        user = context["request"].user
        return list(permissions.visible_queryset(user, obj.initiatives.all()).values_list("slug", flat=True))

    @staticmethod
    def resolve_events(obj: Resource, context) -> list[str]:
        user = context["request"].user
        return list(permissions.visible_queryset(user, obj.events.all()).values_list("slug", flat=True))

    @staticmethod
    def resolve_link(obj: Resource, context) -> str:
        return context["request"].build_absolute_uri(obj.href) if obj.href else ""

    @staticmethod
    def resolve_owner(obj: Resource) -> dict:
        if obj.owner_organisation_id:
            o = obj.owner_organisation
            return {"kind": "organisation", "name": o.name, "url": o.get_absolute_url()}
        if obj.owner_initiative_id:
            i = obj.owner_initiative
            return {"kind": "initiative", "name": i.title, "url": i.get_absolute_url()}
        if obj.owner_event_id:
            e = obj.owner_event
            return {"kind": "event", "name": e.title, "url": e.get_absolute_url()}
        return {"kind": "network", "name": "Réseau", "url": ""}

    @staticmethod
    def resolve_url(obj: Resource) -> str:
        return obj.get_absolute_url()


class ResourceFilters(Schema):
    q: str = Field("", max_length=200, description="mots du titre, du résumé ou des auteurs")
    type: ResourceType | None = None
    theme: str = Field("", max_length=40, description="code d'un thème")
    collection: str = Field("", max_length=120, description="slug d'une collection")
    territory: str = Field("", max_length=9, description="code d'un territoire")
    initiative: str = Field("", max_length=200, description="slug d'une initiative liée ou propriétaire")
    event: str = Field("", max_length=200, description="slug d'un événement lié ou propriétaire")


class ToolOut(Schema):
    id: int
    name: str
    slug: str
    family: Family
    summary: str
    link: str
    provider: str
    profiles: list[str]
    levels: list[str]
    url: str

    @staticmethod
    def resolve_link(obj: Tool) -> str:
        return obj.url

    @staticmethod
    def resolve_provider(obj: Tool) -> str:
        return obj.provider_name

    @staticmethod
    def resolve_url(obj: Tool) -> str:
        return obj.get_absolute_url()


def _known(model, field: str, value: str, name: str) -> None:
    if value and not model.objects.filter(**{field: value}).exists():
        raise HttpError(422, f"{name} : valeur inconnue « {value} ».")


@router.get("", response=list[ResourceOut], summary="Ressources de la bibliothèque")
@paginate(LimitOffset)
def resource_list(request: HttpRequest, filters: Query[ResourceFilters]):
    _known(Theme, "code", filters.theme, "theme")
    _known(Collection, "slug", filters.collection, "collection")
    _known(Territory, "code", filters.territory, "territory")
    found = queries.LibraryFilters(
        q=filters.q,
        resource_type=filters.type or "",
        theme=filters.theme,
        collection=filters.collection,
        territory=filters.territory,
    )
    qs = found.apply(queries.resources_visible_to(request.user))
    for name, model in (("initiative", Initiative), ("event", Event)):
        if slug := getattr(filters, name):
            found = permissions.visible_queryset(request.user, model.objects.all()).filter(slug=slug).first()
            if found is None:
                raise HttpError(422, f"{name} : valeur inconnue « {slug} ».")
            qs = qs.filter(queries.owned_or_linked(name, found))
    return qs.prefetch_related("author_organisations", "themes", "territories", "collections").order_by(
        "-created_at", "pk"
    )


@router.get("/tools", response=list[ToolOut], summary="Services de la boîte à outils")
@paginate(LimitOffset)
def tool_list(request: HttpRequest, family: Family | None = None):
    tools = Tool.objects.select_related("provider")
    return tools.filter(family=family) if family else tools


@router.get("/{int:resource_id}", response=ResourceOut, summary="Une ressource")
def resource_detail(request: HttpRequest, resource_id: int):
    return permissions.get_visible_or_404(request.user, queries.resources_visible_to(request.user), pk=resource_id)
