"""Reads of the capitalisation bank: the one filter used by the list page, the API and exports, facets,
similar initiatives, and the initiatives of an organisation."""

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from catalyse.actors.models import Organisation, Profile
from catalyse.core import cache_version, permissions
from catalyse.core.cache_version import DataVersion
from catalyse.core.text import fold
from catalyse.search.backends import get_backend
from catalyse.search.backends.base import SearchHit, SearchQuery
from catalyse.search.browse import IndexedRows, browse_from_index
from catalyse.search.documents import grants_for
from catalyse.search.parsing import parse
from catalyse.search.queries import similar_items, vocabulary_seen_by
from catalyse.territories.keys import territory_from_key, territory_key
from catalyse.territories.models import Kind, Level, Territory

from .models import Initiative, InitiativeProfile, Partnership, Sdg, Stage, Status, Theme

SORTS = {"-maj": ("-updated_at", "pk"), "titre": ("title", "pk"), "-debut": ("-start_date", "pk")}


class InvalidFilter(ValueError):
    """A query parameter that is not one of the allowed values (the API answers 422)."""


@dataclass
class InitiativeFilters:
    """The list's state, as it appears in shareable URLs (`?theme=emploi&odd=8&territoire=departement:62`)."""

    q: str = ""
    territory: Territory | None = None
    themes: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    sort: str = "-maj"

    @classmethod
    def from_params(cls, params: Mapping, *, strict: bool = False) -> "InitiativeFilters":
        """Parse query parameters. Pages drop invalid values (a shared link never errors); the API passes
        strict=True and gets InvalidFilter naming the first bad parameter."""
        def many(key: str, allowed) -> list[str]:
            values = params.getlist(key) if hasattr(params, "getlist") else params.get(key) or []
            values = [values] if isinstance(values, str | int) else values
            values = [str(v) for v in values if v not in ("", None)]
            bad = [v for v in values if v not in allowed]
            if bad and strict:
                raise InvalidFilter(f"{key}: valeur inconnue « {bad[0]} » (valeurs possibles : {', '.join(allowed)})")
            return [v for v in values if v in allowed]

        territory = None
        if raw := params.get("territoire"):
            territory = territory_from_key(str(raw))
            if territory is None and strict:
                raise InvalidFilter(f"territoire: « {raw} » inconnu (forme attendue niveau:code, ex. departement:62)")
        sort = params.get("tri") or "-maj"
        if sort not in SORTS and strict:
            raise InvalidFilter(f"tri: valeur inconnue « {sort} » (valeurs possibles : {', '.join(SORTS)})")
        return cls(
            q=str(params.get("q") or "").strip()[:200],
            territory=territory,
            themes=many("theme", [c for c in Theme.objects.values_list("code", flat=True)]),
            sdgs=[int(n) for n in many("odd", [str(n) for n in range(1, 18)])],
            stages=many("stade", Stage.values),
            profiles=many("profil", Profile.values),
            statuses=many("etat", Status.values),
            sort=sort if sort in SORTS else "-maj",
        )

    def conditions(self, *, skip: str = "") -> Q:
        """All filters as one Q; `skip` leaves one facet out (for disjunctive facet counts)."""
        q = Q()
        if self.q:
            q &= Q(search_text__contains=fold(self.q))
        if self.territory is not None and skip != "territory":
            below = Territory.objects.filter(self.territory.descendants_q()).values("pk")
            q &= Q(pk__in=Initiative.territories.through.objects.filter(territory__in=below).values("initiative_id"))
        if self.themes and skip != "theme":
            q &= Q(pk__in=Initiative.themes.through.objects.filter(theme__code__in=self.themes)
                   .values("initiative_id"))
        if self.sdgs and skip != "sdg":
            q &= Q(pk__in=Initiative.sdgs.through.objects.filter(sdg_id__in=self.sdgs).values("initiative_id"))
        if self.stages and skip != "stage":
            q &= Q(stage__in=self.stages)
        if self.profiles and skip != "profile":
            q &= Q(pk__in=InitiativeProfile.objects.filter(profile__in=self.profiles).values("initiative_id"))
        if self.statuses and skip != "status":
            q &= Q(status__in=self.statuses)
        return q


def initiatives_visible_to(user) -> QuerySet[Initiative]:
    return permissions.visible_queryset(user, Initiative.objects.all())


def initiatives_for(user, filters: InitiativeFilters, *, skip: str = "") -> QuerySet[Initiative]:
    """Initiatives this person may see that match the filters (not yet ordered)."""
    return initiatives_visible_to(user).filter(filters.conditions(skip=skip))


def initiatives_list(user, filters: InitiativeFilters) -> Sequence[Initiative]:
    """The matches in the list's order, to be paged: from the search index when it can browse, else SQL."""
    rows = Initiative.objects.prefetch_related("themes", "sdgs", "territories")
    if browse_from_index():
        return IndexedRows(user, _index_query(user, filters), rows)
    return initiatives_for(user, filters).prefetch_related("themes", "sdgs", "territories").order_by(
        *SORTS[filters.sort])


# List sort → the index's browse sort; facet → index field.
INDEX_SORTS = {"-maj": "-updated", "titre": "name", "-debut": "-started"}


def _index_query(user, filters: InitiativeFilters) -> SearchQuery:
    """The filters as an index query with the person's grants; words are matched as the search matches them
    (stems, optional accents) in the title, summary and récit."""
    wanted = {"kind": ["initiative"], "themes": filters.themes, "sdgs": [str(n) for n in filters.sdgs],
              "stage": filters.stages, "profile": filters.profiles, "status": filters.statuses,
              "territories": [filters.territory.key] if filters.territory else []}
    grants = grants_for(user)
    parsed = parse(filters.q, vocabulary_seen_by(grants, get_backend())) if filters.q else None
    return SearchQuery(clauses=parsed.clauses if parsed else [], excluded=parsed.excluded if parsed else [],
                       filters={k: v for k, v in wanted.items() if v}, grants=grants,
                       sort=INDEX_SORTS[filters.sort], with_facets=False)


Facet = list[tuple[str, str, int]]


# Counts and rendered visitor pages are cached under DATA_VERSION, which every save or delete of what they
# show bumps (signals connected in apps.py): a change shows at once. The lifetime only bounds what writes
# without signals (bulk imports, generators) and other processes' memory caches leave stale.
CACHE_SECONDS = 300
DATA_VERSION = DataVersion("initiatives:data:version")


def cached_for_audience(user, key: str, compute):
    """`compute()` cached per audience (visitors share one entry; each member has their own, as visibility
    differs) and per `key`, under the data version."""
    return cache_version.cached_for_audience(DATA_VERSION, "initiatives", key, compute,
                                             audience=cache_version.person_audience(user), seconds=CACHE_SECONDS)


def initiative_facets_cached(user, filters: InitiativeFilters, params: str) -> dict[str, Facet]:
    return cached_for_audience(user, f"facets|{params}", lambda: initiative_facets(user, filters))


def initiative_facets(user, filters: InitiativeFilters) -> dict[str, Facet]:
    """Counts per value for each facet, each computed with the other facets' filters applied
    (disjunctive faceting: choosing a theme does not hide the other themes' counts). Counts are of
    distinct initiatives: one with two partners of the same profile counts once. From the search index when
    it can browse (a few aggregations), else from SQL."""
    if browse_from_index():
        return _index_facets(user, filters)
    return _sql_facets(user, filters)


def _index_facets(user, filters: InitiativeFilters) -> dict[str, Facet]:
    backend = get_backend()
    query = _index_query(user, filters)
    _, counts = backend.browse_facets(query, ["themes", "sdgs", "stage", "profile", "status"])
    # Places are counted with the territory filter left out (disjunctive), like the other facets.
    anywhere = dataclasses.replace(query, filters={k: v for k, v in query.filters.items() if k != "territories"})
    _, places = backend.browse_facets(anywhere, ["region", "departement"])
    names = {(level, code): name for level, code, name in Territory.objects.filter(
        kind=Kind.CURRENT, level__in=(Level.REGION, Level.DEPARTEMENT),
        code__in=set(places["region"]) | set(places["departement"])).values_list("level", "code", "name")}
    return _facets_named(
        {level: {(code, names[level, code]): n for code, n in places[level].items() if (level, code) in names}
         for level in (Level.REGION, Level.DEPARTEMENT)},
        themes=counts["themes"], sdgs={int(k): n for k, n in counts["sdgs"].items()}, stages=counts["stage"],
        profiles=counts["profile"], statuses=counts["status"])


def _facets_named(places: dict, *, themes: dict, sdgs: dict, stages: dict, profiles: dict, statuses: dict,
                  theme_key: str = "code") -> dict[str, Facet]:
    """Facets as pages draw them: (value, label, count); places as {level: {(code, name): n}}."""
    def sorted_places(level: str) -> Facet:
        return sorted(((territory_key(level, code), name, n) for (code, name), n in places[level].items()),
                      key=lambda r: r[1])

    return {
        "region": sorted_places(Level.REGION),
        "departement": sorted_places(Level.DEPARTEMENT),
        "theme": [(t.code, t.name, themes.get(getattr(t, theme_key), 0)) for t in Theme.objects.all()],
        "sdg": [(str(s.number), f"{s.number}. {s.name}", sdgs.get(s.number, 0)) for s in Sdg.objects.all()],
        "stage": [(v, str(label), stages.get(v, 0)) for v, label in Stage.choices],
        "profile": [(v, str(label), profiles.get(v, 0)) for v, label in Profile.choices],
        "status": [(v, str(label), statuses.get(v, 0)) for v, label in Status.choices],
    }


def _sql_facets(user, filters: InitiativeFilters) -> dict[str, Facet]:
    """Multi-valued facets are counted from their link table restricted to the matching initiatives (a
    subquery), which avoids joining the wide initiative rows."""
    def ids(skip: str):
        return initiatives_for(user, filters, skip=skip).values("pk")

    def counts(rows, column, *, distinct: bool) -> dict:
        column = F(column) if isinstance(column, str) else column
        rows = rows.values(value=column).annotate(
            n=Count("initiative_id", distinct=True) if distinct else Count("*")).order_by()
        return {r["value"]: r["n"] for r in rows if r["value"] is not None}

    through = Initiative.territories.through.objects.filter(initiative_id__in=ids("territory"))
    # A territory of any level counts for its région (a région counts for itself); an initiative with two
    # communes of one département counts once there.
    region_counts = counts(through, Coalesce("territory__region_id", "territory_id"), distinct=True)
    dep_counts = counts(through, Coalesce("territory__departement_id", "territory_id"), distinct=True)
    names = {t.pk: t for t in Territory.objects.filter(pk__in=set(region_counts) | set(dep_counts),
                                                       level__in=[Level.REGION, Level.DEPARTEMENT])}
    theme_counts = counts(Initiative.themes.through.objects.filter(initiative_id__in=ids("theme")),
                          "theme_id", distinct=False)
    sdg_counts = counts(Initiative.sdgs.through.objects.filter(initiative_id__in=ids("sdg")),
                        "sdg_id", distinct=False)
    profile_counts = counts(InitiativeProfile.objects.filter(initiative_id__in=ids("profile")), "profile",
                            distinct=False)
    stage_counts = {r["stage"]: r["n"] for r in initiatives_for(user, filters, skip="stage")
                    .values("stage").annotate(n=Count("*")).order_by()}
    status_counts = {r["status"]: r["n"] for r in initiatives_for(user, filters, skip="status")
                     .values("status").annotate(n=Count("*")).order_by()}

    def places(level: str, by_pk: dict) -> dict:
        return {(names[pk].code, names[pk].name): n for pk, n in by_pk.items()
                if pk in names and names[pk].level == level}

    return _facets_named({Level.REGION: places(Level.REGION, region_counts),
                          Level.DEPARTEMENT: places(Level.DEPARTEMENT, dep_counts)},
                         themes=theme_counts, sdgs=sdg_counts, stages=stage_counts, profiles=profile_counts,
                         statuses=status_counts, theme_key="pk")


def count_from_facets(facets: dict[str, Facet], filters: InitiativeFilters) -> int:
    """How many initiatives match the filters: each has exactly one status, and the status facet applies
    every filter but its own."""
    return sum(n for value, _, n in facets["status"] if not filters.statuses or value in filters.statuses)


def partnerships_visible_to(user) -> QuerySet[Partnership]:
    """Partnerships this person may see: of an initiative they may read, with an organisation they may see
    (an unpublished partner is not named to visitors)."""
    return permissions.visible_queryset(user, Partnership.objects.select_related("organisation"))


def initiative_detail(user, slug: str) -> Initiative:
    """One visible initiative with what its page shows (Http404 if invisible or unknown)."""
    qs = Initiative.objects.prefetch_related(
        "themes", "sdgs", "territories", "stage_changes",
        # Chronological, as a timeline: partners "since the beginning" (no date) first.
        Prefetch("partnerships", partnerships_visible_to(user).order_by(
            F("joined_on").asc(nulls_first=True), "organisation__name")),
    )
    return permissions.get_visible_or_404(user, qs, slug=slug)


def initiatives_of_organisation(org: Organisation, user) -> QuerySet[Initiative]:
    """The initiatives an organisation takes or took part in that this person may see."""
    ids = Partnership.objects.filter(organisation=org).values("initiative_id")
    return initiatives_visible_to(user).filter(pk__in=ids).order_by("-updated_at", "pk")


def initiatives_similar_cached(initiative: Initiative, user) -> list[SearchHit]:
    """"Initiatives similaires" on the initiative's page: the search engine's similar items (the same as
    /api/v1/search/similar/initiative/<id>), cached per audience."""
    return cached_for_audience(user, f"similar|{initiative.pk}",
                               lambda: similar_items(user, "initiative", initiative.pk))
