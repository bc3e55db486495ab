"""Reads of organisations: the one filter used by the directory, the map, exports and the API, and facets."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from catalyse.core import permissions
from catalyse.core.text import fold
from catalyse.territories.models import Kind, Territory, Typology

from .models import Organisation, Profile, Scope, Trade

SORTS = {"nom": ("name", "id"), "-adhesion": ("-joined_on", "name"), "-maj": ("-updated_at", "id")}


@dataclass
class OrganisationFilters:
    """The directory's state, as it appears in shareable URLs (`?profil=…&metier=…&region=32`)."""

    q: str = ""
    profiles: list[str] = field(default_factory=list)
    trades: list[str] = field(default_factory=list)
    scope: str = ""
    regions: list[str] = field(default_factory=list)
    departements: list[str] = field(default_factory=list)
    typologies: list[str] = field(default_factory=list)
    territory: Territory | None = None
    catalyst: bool | None = None
    sort: str = "nom"

    @classmethod
    def from_params(cls, params: Mapping) -> "OrganisationFilters":
        """Parse query parameters, dropping values that are not valid choices (a shared link never errors)."""
        def many(key, allowed=None):
            values = params.getlist(key) if hasattr(params, "getlist") else params.get(key, []) or []
            if isinstance(values, str):
                values = [values]
            return [v for v in values if v and (allowed is None or v in allowed)]

        territory = None
        if raw := params.get("territoire"):
            level, _, code = str(raw).partition(":")
            territory = Territory.objects.filter(level=level, code=code, kind=Kind.CURRENT).first()
        catalyst = params.get("catalyseur")
        return cls(
            q=(params.get("q") or "").strip()[:200],
            profiles=many("profil", Profile.values),
            trades=many("metier", set(Trade.objects.values_list("code", flat=True))),
            scope=params.get("perimetre") if params.get("perimetre") in Scope.values else "",
            regions=many("region"),
            departements=many("departement"),
            typologies=many("typologie", Typology.values),
            territory=territory,
            catalyst={"1": True, "0": False}.get(catalyst) if catalyst else None,
            sort=params.get("tri") if params.get("tri") in SORTS else "nom",
        )

    def conditions(self, *, skip: str = "") -> Q:
        """All filters as one Q; `skip` leaves one facet out (for disjunctive facet counts)."""
        q = Q()
        if self.q:
            folded = fold(self.q)
            q &= Q(search_name__contains=folded) | Q(siren=self.q.replace(" ", "")) | Q(rna=self.q.upper())
        if self.profiles and skip != "profile":
            q &= Q(profile__in=self.profiles)
        if self.trades and skip != "trade":
            q &= Q(pk__in=Organisation.trades.through.objects.filter(trade__code__in=self.trades)
                   .values("organisation_id"))
        if self.scope and skip != "scope":
            q &= Q(scope=self.scope)
        if self.regions and skip != "region":
            q &= Q(region__code__in=self.regions)
        if self.departements and skip != "departement":
            q &= Q(departement__code__in=self.departements)
        if self.typologies and skip != "typology":
            q &= Q(typology__in=self.typologies)
        if self.territory is not None:
            # Head office below the territory, or acting on it or on a territory below it.
            below = Territory.objects.filter(self.territory.descendants_q()).values("pk")
            q &= Q(head_office__in=below) | Q(
                pk__in=Organisation.territories.through.objects.filter(territory__in=below).values("organisation_id")
            )
        if self.catalyst is not None:
            q &= Q(is_catalyst=self.catalyst)
        return q


def organisations_for(user, filters: OrganisationFilters, *, skip: str = "") -> QuerySet[Organisation]:
    """Organisations this person may see that match the filters (not yet ordered)."""
    base = permissions.visible_queryset(user, Organisation.objects.all())
    return base.filter(filters.conditions(skip=skip))


def organisations_list(user, filters: OrganisationFilters) -> QuerySet[Organisation]:
    return (
        organisations_for(user, filters)
        .select_related("head_office", "departement", "region")
        .prefetch_related("trades")
        .order_by(*SORTS[filters.sort])
    )


def organisation_facets(user, filters: OrganisationFilters) -> dict[str, list[tuple[str, str, int]]]:
    """Counts per value for each facet, each computed with the other facets' filters applied
    (disjunctive faceting: choosing a profile does not hide the other profiles' counts)."""
    def counts(skip: str, column: str) -> dict:
        rows = organisations_for(user, filters, skip=skip).values(column).annotate(n=Count("id")).order_by()
        return {r[column]: r["n"] for r in rows if r[column] is not None}

    trade_counts = counts("trade", "trades__code")
    region_counts = counts("region", "region__code")
    dep_counts = counts("departement", "departement__code")
    territory_names = dict(
        Territory.objects.filter(level__in=["region", "departement"], kind=Kind.CURRENT,
                                 code__in=set(region_counts) | set(dep_counts))
        .values_list("code", "name")
    )
    profile_counts = counts("profile", "profile")
    scope_counts = counts("scope", "scope")
    typology_counts = counts("typology", "typology")
    return {
        "profile": [(v, str(label), profile_counts.get(v, 0)) for v, label in Profile.choices],
        "trade": [(t.code, t.name, trade_counts.get(t.code, 0)) for t in Trade.objects.all()],
        "scope": [(v, str(label), scope_counts.get(v, 0)) for v, label in Scope.choices],
        "region": sorted(((c, territory_names.get(c, c), n) for c, n in region_counts.items()), key=lambda r: r[1]),
        "departement": sorted(((c, territory_names.get(c, c), n) for c, n in dep_counts.items()), key=lambda r: r[0]),
        "typology": [(v, str(label), typology_counts.get(v, 0)) for v, label in Typology.choices],
    }


def organisation_detail(user, slug: str) -> Organisation:
    """One organisation this person may see (Http404 otherwise), with what its page shows."""
    qs = Organisation.objects.select_related("head_office", "departement", "region").prefetch_related(
        "trades", "competences__trade", "territories")
    return permissions.get_visible_or_404(user, qs, slug=slug)


def organisations_export(user, filters: OrganisationFilters) -> Iterator[Organisation]:
    """The directory's selection for exports, read in chunks from a cursor so that memory stays flat."""
    qs = organisations_list(user, filters).prefetch_related("competences", "territories")
    return qs.iterator(chunk_size=1000)
