"""Reads of the library and the toolbox: what a person may see, filtered, with facet counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from catalyse.actors.models import Membership, MembershipRole, Organisation
from catalyse.core import permissions
from catalyse.events.models import Event
from catalyse.events.permissions import events_organised_by
from catalyse.initiatives.models import Initiative, Partnership, Role, Theme
from catalyse.territories.models import Territory

from .models import Collection, Family, Resource, ResourceType, Tool

FACET_SIZE = 12  # themes, collections and territories shown in each facet (the most used first)


def resources_visible_to(user) -> QuerySet[Resource]:
    return permissions.visible_queryset(
        user, Resource.objects.select_related("owner_organisation", "owner_initiative", "owner_event")
    )


@dataclass
class LibraryFilters:
    """The library's filters, as typed in its address (unknown codes are ignored, never an error)."""

    q: str = ""
    resource_type: str = ""
    theme: str = ""
    collection: str = ""
    territory: str = ""  # a territory's code

    @classmethod
    def from_query(cls, data) -> LibraryFilters:
        return cls(**{name: str(data.get(param, "")).strip()[:200] for name, param in PARAMS.items()})

    def apply(self, qs: QuerySet[Resource]) -> QuerySet[Resource]:
        if self.q:
            for word in self.q.split():
                by_author = Resource.author_organisations.through.objects.filter(
                    organisation__name__icontains=word
                ).values("resource_id")
                qs = qs.filter(
                    Q(title__icontains=word) | Q(summary__icontains=word) | Q(authors_text__icontains=word)
                    | Q(pk__in=by_author)
                )
        if self.resource_type:
            qs = qs.filter(resource_type=self.resource_type)
        if self.theme:
            qs = qs.filter(pk__in=Resource.themes.through.objects.filter(theme__code=self.theme).values("resource_id"))
        if self.collection:
            qs = qs.filter(
                pk__in=Resource.collections.through.objects.filter(collection__slug=self.collection).values(
                    "resource_id"
                )
            )
        if self.territory:
            qs = qs.filter(
                pk__in=Resource.territories.through.objects.filter(territory__code=self.territory).values("resource_id")
            )
        return qs


PARAMS = {"q": "q", "resource_type": "type", "theme": "theme", "collection": "collection", "territory": "territoire"}


@dataclass
class FacetValue:
    code: str
    label: str
    count: int
    selected: bool = False
    url: str = ""  # the library's address with this value chosen, or removed when it is


@dataclass
class Library:
    resources: QuerySet[Resource]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


def library(user, filters: LibraryFilters) -> Library:
    """The visible resources matching `filters`, and per facet the count of each value among them."""
    qs = filters.apply(resources_visible_to(user)).order_by("-created_at", "pk")
    ids = qs.values("pk")
    types = dict(qs.order_by().values_list("resource_type").annotate(n=Count("pk")))
    facets = {
        "type": [
            FacetValue(code, str(label), types[code], code == filters.resource_type)
            for code, label in ResourceType.choices
            if code in types
        ],
        "theme": _counted(Theme.objects.filter(resources__in=ids), "code", "name", filters.theme),
        "collection": _counted(Collection.objects.filter(resources__in=ids), "slug", "name", filters.collection),
        "territoire": _counted(Territory.objects.filter(resources__in=ids), "code", "name", filters.territory),
    }
    return Library(resources=qs, facets=facets)


def _counted(qs: QuerySet, code: str, label: str, selected: str) -> list[FacetValue]:
    rows = qs.values(code, label).annotate(n=Count("pk")).order_by("-n", label)[:FACET_SIZE]
    return [FacetValue(r[code], r[label], r["n"], r[code] == selected) for r in rows]


def owned_or_linked(name: str, owner) -> Q:
    """The resources `owner` (an "initiative" or an "event") owns or that are linked to it."""
    through = getattr(Resource, f"{name}s").through
    return Q(**{f"owner_{name}": owner}) | Q(pk__in=through.objects.filter(**{name: owner}).values("resource_id"))


def collection_resources(user, collection: Collection) -> QuerySet[Resource]:
    return resources_visible_to(user).filter(
        pk__in=Resource.collections.through.objects.filter(collection=collection).values("resource_id")
    )


def publishable_organisations(user) -> QuerySet[Organisation]:
    """The organisations this person may publish a resource for (their editors)."""
    if permissions.is_animator(user):
        return Organisation.objects.order_by("name")
    editor_of = Membership.objects.filter(user=user, role=MembershipRole.EDITOR).values("organisation_id")
    return Organisation.objects.filter(pk__in=editor_of).order_by("name")


def publishable_initiatives(user) -> QuerySet[Initiative]:
    """The initiatives this person may publish a resource for: partners (current) and editors."""
    if permissions.is_animator(user):
        return Initiative.objects.order_by("title")
    orgs = Membership.objects.filter(user=user).values("organisation_id")
    editor_of = Membership.objects.filter(user=user, role=MembershipRole.EDITOR).values("organisation_id")
    partnerships = Partnership.objects.filter(
        Q(organisation_id__in=orgs, left_on__isnull=True) | Q(organisation_id__in=editor_of, role=Role.PORTEUR)
    )
    return Initiative.objects.filter(Q(created_by=user) | Q(pk__in=partnerships.values("initiative_id"))).order_by(
        "title"
    )


def publishable_events(user) -> QuerySet[Event]:
    """The events this person may publish a resource for: those they organise, latest first."""
    return events_organised_by(user).order_by("-starts_at", "pk")


def toolbox() -> list[tuple[str, str, list[Tool]]]:
    """The services by family, in the report's order: (code, label, tools)."""
    tools = list(Tool.objects.select_related("provider"))
    return [(code, str(label), [t for t in tools if t.family == code]) for code, label in Family.choices]
