"""Reads of organisations: the one filter used by the directory, the map, exports and the API, and facets.

The directory and the map read the search index when its engine can browse (Tantivy, the default): filters,
counts, facets, the page's order and the map grid come from the engine, the page's rows from the database
(through the permission module). The SQL path below serves the PostgreSQL search backend, exports and the API.
"""

import math
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from django.db.models import Avg, Count, F, Func, IntegerField, Min, Q, QuerySet
from django.db.models.functions import ExtractYear

from catalyse.core import permissions
from catalyse.core.cache_version import PUBLIC, cached_for_audience, visitors_audience
from catalyse.core.text import fold
from catalyse.search.backends import get_backend
from catalyse.search.backends.base import SearchQuery
from catalyse.search.browse import IndexedRows, browse_from_index
from catalyse.search.documents import grants_for
from catalyse.search.parsing import parse
from catalyse.search.queries import vocabulary_seen_by
from catalyse.territories.keys import territory_from_key
from catalyse.territories.models import Kind, Level, Territory, Typology, Zone

from . import browse_cache
from .browse_cache import DIRECTORY_VERSION
from .models import Competence, MergeRecord, Organisation, Profile, PublicationStatus, Scope, Trade

# Organisations that never joined come last whatever the database (PostgreSQL puts NULLs first in DESC).
SORTS = {"nom": ("name", "id"), "-adhesion": (F("joined_on").desc(nulls_last=True), "name"),
         "-maj": ("-updated_at", "id")}


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
            territory = territory_from_key(str(raw))
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
        # By id through a subquery rather than a join on the code: the (status, region) and
        # (status, departement) indexes then narrow the scan at national scale.
        if self.regions and skip != "region":
            q &= Q(region__in=_territory_ids(Level.REGION, self.regions))
        if self.departements and skip != "departement":
            q &= Q(departement__in=_territory_ids(Level.DEPARTEMENT, self.departements))
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


def _territory_ids(level: str, codes: list[str]) -> QuerySet[Territory]:
    return Territory.objects.filter(level=level, kind=Kind.CURRENT, code__in=codes).values("pk")


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

    # Grouped by id (no join per row), then named: région and département codes overlap ("11" is both
    # Île-de-France and Aude), so names are looked up by id, not by code.
    trade_counts = counts("trade", "trades")
    row_counts = _row_facet_counts(user, filters, counts)
    region_ids, dep_ids = row_counts["region"], row_counts["departement"]
    places = {pk: (code, name) for pk, code, name in
              Territory.objects.filter(pk__in=set(region_ids) | set(dep_ids)).values_list("pk", "code", "name")}
    regions = [(*places[pk], n) for pk, n in region_ids.items() if pk in places]
    departements = [(*places[pk], n) for pk, n in dep_ids.items() if pk in places]
    profile_counts, scope_counts, typology_counts = row_counts["profile"], row_counts["scope"], row_counts["typology"]
    return {
        "profile": [(v, str(label), profile_counts.get(v, 0)) for v, label in Profile.choices],
        "trade": [(t.code, t.name, trade_counts.get(t.pk, 0)) for t in Trade.objects.all()],
        "scope": [(v, str(label), scope_counts.get(v, 0)) for v, label in Scope.choices],
        "region": sorted(regions, key=lambda r: r[1]),
        "departement": sorted(departements, key=lambda r: r[0]),
        "typology": [(v, str(label), typology_counts.get(v, 0)) for v, label in Typology.choices],
    }


# Facets read from the organisation row itself, by column.
ROW_FACETS = {"profile": "profile", "scope": "scope", "typology": "typology", "region": "region_id",
              "departement": "departement_id"}


def _row_facet_counts(user, filters: OrganisationFilters, counts) -> dict[str, dict]:
    """Counts of the row facets. Facets whose own filter is not in use share the same conditions, so when a
    filter is in use (text, profile, trade, territory…) one grouped query counts them all: the rows are
    read once through the filter's index, instead of once per facet through the index that gives the
    GROUP BY order (SQLite's choice: 5 walks of every published row). With no such filter each count
    reads only its own covering (status, column) index, which is cheaper than one grouped scan."""
    chosen = {"profile": filters.profiles, "scope": filters.scope, "typology": filters.typologies,
              "region": filters.regions, "departement": filters.departements}
    result = {facet: counts(facet, column) for facet, column in ROW_FACETS.items() if chosen[facet]}
    shared = [facet for facet in ROW_FACETS if not chosen[facet]]
    reads_rows = bool(filters.q or filters.trades or filters.territory is not None or filters.catalyst is not None
                      or result)
    if not reads_rows:
        return {facet: counts(facet, column) for facet, column in ROW_FACETS.items()}
    columns = [ROW_FACETS[facet] for facet in shared]
    for facet in shared:
        result[facet] = {}
    for row in organisations_for(user, filters).values(*columns).annotate(n=Count("id")).order_by():
        for facet, column in zip(shared, columns, strict=True):
            if row[column] is not None:
                result[facet][row[column]] = result[facet].get(row[column], 0) + row["n"]
    return result


# --- The same reads from the search index -------------------------------------------------------------

# Directory facet → index field; directory sort → browse sort.
INDEX_FACETS = {"profile": "profile", "trade": "trades", "scope": "scope", "region": "region",
                "departement": "departement", "typology": "typology"}
INDEX_SORTS = {"nom": "name", "-adhesion": "-joined", "-maj": "-updated"}


def _index_query(user, filters: OrganisationFilters, **kwargs) -> SearchQuery:
    """The filters as an index query, with the person's grants (the index's copy of the permission rule)."""
    wanted = {"kind": ["organisation"], "profile": filters.profiles, "trades": filters.trades,
              "scope": [filters.scope] if filters.scope else [], "region": filters.regions,
              "departement": filters.departements, "typology": filters.typologies,
              "territories": [filters.territory.key] if filters.territory else [],
              "catalyst": [] if filters.catalyst is None else ["1" if filters.catalyst else "0"]}
    # The words of the name, analysed as the search does (stems, optional accents, the last word as a prefix
    # while typing), or an exact SIREN / SIRET / RNA.
    grants = grants_for(user)
    parsed = parse(filters.q, vocabulary_seen_by(grants, get_backend()), autocomplete=True) if filters.q else None
    return SearchQuery(
        clauses=parsed.clauses if parsed else [], excluded=parsed.excluded if parsed else [],
        filters={k: v for k, v in wanted.items() if v}, grants=grants, title_only=True,
        identifier=filters.q.replace(" ", "").upper(), sort=INDEX_SORTS[filters.sort], with_facets=False,
        **kwargs,
    )


def _index_facets(user, filters: OrganisationFilters) -> tuple[int, dict[str, list[tuple[str, str, int]]]]:
    """The total and the directory's facets, named as organisation_facets() names them."""
    total, raw = get_backend().browse_facets(_index_query(user, filters), INDEX_FACETS.values())
    counts = {facet: raw[field] for facet, field in INDEX_FACETS.items()}
    names = {(level, code): name for level, code, name in Territory.objects.filter(
        kind=Kind.CURRENT, level__in=(Level.REGION, Level.DEPARTEMENT),
        code__in=set(counts["region"]) | set(counts["departement"])).values_list("level", "code", "name")}
    places = {level: [(code, names[level, code], n) for code, n in counts[level].items() if (level, code) in names]
              for level in (Level.REGION, Level.DEPARTEMENT)}
    return total, {
        "profile": [(v, str(label), counts["profile"].get(v, 0)) for v, label in Profile.choices],
        "trade": [(t.code, t.name, counts["trade"].get(t.code, 0)) for t in Trade.objects.all()],
        "scope": [(v, str(label), counts["scope"].get(v, 0)) for v, label in Scope.choices],
        "region": sorted(places[Level.REGION], key=lambda r: r[1]),
        "departement": sorted(places[Level.DEPARTEMENT], key=lambda r: r[0]),
        "typology": [(v, str(label), counts["typology"].get(v, 0)) for v, label in Typology.choices],
    }


def organisation_directory(user, filters: OrganisationFilters) -> tuple[Sequence[Organisation], dict]:
    """The directory's rows (for the paginator) and facets: from the index when it can browse, else SQL.

    Visitors' counts are cached for a minute under the data version, which the index bumps too when it has
    applied changes (browse_cache): counts read in the seconds before the outbox ran are not kept."""
    if not browse_from_index():
        return organisations_list(user, filters), organisation_facets_cached(user, filters)
    total, facets = _for_visitors(user, "actors:index-facets", filters, lambda: _index_facets(user, filters))
    return IndexedRows(user, _index_query(user, filters), _rows(), total), facets


def _rows(prefetch: tuple[str, ...] = ("trades",)) -> QuerySet[Organisation]:
    return Organisation.objects.select_related("head_office", "departement", "region").prefetch_related(*prefetch)


def _for_visitors(user, prefix: str, filters: OrganisationFilters, compute):
    """compute(), cached for a minute for visitors (they all see the same published set) under the data
    version; signed-in people may see unpublished organisations of theirs: always computed."""
    return cached_for_audience(DIRECTORY_VERSION, prefix, _filters_key(filters), compute,
                               audience=visitors_audience(user), seconds=browse_cache.SECONDS)


def organisations_matching(user, filters: OrganisationFilters, *,
                           prefetch: tuple[str, ...] = ("trades",)) -> Sequence[Organisation]:
    """The directory's matches in order, to be paged (the API list): from the index when it can browse."""
    if not browse_from_index():
        return organisations_list(user, filters).prefetch_related(*prefetch)
    return IndexedRows(user, _index_query(user, filters), _rows(prefetch))


def organisation_facets_cached(user, filters: OrganisationFilters) -> dict[str, list[tuple[str, str, int]]]:
    """organisation_facets() for the SQL path: the first pages of the directory are asked for again and again,
    and any change to an organisation bumps the data version, so a visitor never sees stale counts."""
    return _for_visitors(user, "actors:facets", filters, lambda: organisation_facets(user, filters))


def organisation_detail(user, slug: str) -> Organisation:
    """One organisation this person may see (Http404 otherwise), with what its page shows."""
    qs = Organisation.objects.select_related("head_office", "departement", "region").prefetch_related(
        "trades", "competences__trade", "territories")
    return permissions.get_visible_or_404(user, qs, slug=slug)


EXPORT_FIELDS = ("slug", "name", "profile", "legal_form", "scope", "head_office", "departement", "region", "typology",
                 "address", "postal_code", "latitude", "longitude", "website", "description", "siren", "siret", "rna",
                 "joined_on", "is_catalyst", "dissolved_on", "is_fictitious", "updated_at", "status", "logo")


def organisations_export(user, filters: OrganisationFilters, *, chunk_size: int = 2000) -> Iterator[Organisation]:
    """The directory's selection for exports, read from a cursor chunk by chunk so that memory stays flat.

    Each chunk's trades, competences and territories come in three queries and are set as plain lists
    (`trade_names`, `competence_names`, `territory_refs` = [(level, code, name)]): at export volumes this is
    several times faster than prefetch_related, which builds a queryset per organisation and relation."""
    trades = {pk: (position, name) for pk, position, name in Trade.objects.values_list("pk", "position", "name")}
    competences = {pk: (trade_position, position, name) for pk, trade_position, position, name in
                   Competence.objects.values_list("pk", "trade__position", "position", "name")}
    # Only what exports write (never the contact email); a Territory has many columns, three are needed.
    rows = organisations_list(user, filters).prefetch_related(None).only(
        *EXPORT_FIELDS, "head_office__code", "head_office__name", "departement__code", "region__code",
    ).iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        by_id = {org.pk: org for org in chunk}
        linked: dict[str, dict[int, list]] = {"trades": {}, "competences": {}, "territories": {}}
        for org_id, trade_id in Organisation.trades.through.objects.filter(
                organisation_id__in=by_id).values_list("organisation_id", "trade_id"):
            linked["trades"].setdefault(org_id, []).append(trades[trade_id])
        for org_id, competence_id in Organisation.competences.through.objects.filter(
                organisation_id__in=by_id).values_list("organisation_id", "competence_id"):
            linked["competences"].setdefault(org_id, []).append(competences[competence_id])
        places = Organisation.territories.through.objects.filter(organisation_id__in=by_id).order_by(
            "territory__level", "territory__code")
        for org_id, *territory in places.values_list("organisation_id", "territory__level", "territory__code",
                                                     "territory__name"):
            linked["territories"].setdefault(org_id, []).append(tuple(territory))
        for org in chunk:
            org.trade_names = [name for *_, name in sorted(linked["trades"].get(org.pk, []))]
            org.competence_names = [name for *_, name in sorted(linked["competences"].get(org.pk, []))]
            org.territory_refs = linked["territories"].get(org.pk, [])
        yield from chunk


# --- Map and network statistics -------------------------------------------------------------------

MAP_POINTS_LIMIT = 500  # below this many organisations in view, send points rather than clusters
MAP_POINTS_ZOOM = 14  # from this zoom on (a neighbourhood), always points
MAP_MAX_POINTS = 2000


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, raw: str) -> "BBox":
        """`west,south,east,north` in degrees; ValueError with a readable message otherwise."""
        try:
            west, south, east, north = (float(v) for v in raw.split(","))
        except ValueError:
            raise ValueError("bbox doit être « ouest,sud,est,nord » en degrés décimaux.") from None
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ValueError("bbox hors limites : -180 ≤ ouest < est ≤ 180 et -90 ≤ sud < nord ≤ 90.")
        return cls(west, south, east, north)


class _CellIndex(Func):
    """floor(x) of a non-negative x as an integer, computed natively by each database: Django replaces
    SQLite's FLOOR by a Python callback (slow on a million rows), while a cast truncates, which equals
    floor for x ≥ 0; PostgreSQL's cast rounds, so it keeps FLOOR."""

    function = "FLOOR"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS INTEGER)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(FLOOR(%(expressions)s) AS INTEGER)", **extra)


def map_cell_size(zoom: int) -> float:
    """Grid step in degrees: about a quarter of a 256-pixel web-map tile (64 px) at this zoom."""
    return 360 / 2**zoom / 4


def map_clusters(user, filters: OrganisationFilters, bbox: BBox, zoom: int) -> dict:
    """Organisations in view, grouped on a grid in SQL (GROUP BY cell: count and mean point), so that the
    cost stays one aggregate query however many rows match. Cells holding one organisation, and every
    organisation when few are in view or the zoom is close, come back as points.

    The grid covers whole cells around the view (so panning a little reuses the cached grid and clusters
    do not jump); for visitors it is cached (see browse_cache)."""
    cell = map_cell_size(zoom)
    visible = organisations_for(user, filters)
    # Whole cells covering the box (indices as in the GROUP BY below: floor of the shifted coordinate).
    south = max(math.floor((bbox.south + 90) / cell) * cell - 90, -90)
    north = min((math.floor((bbox.north + 90) / cell) + 1) * cell - 90, 90)
    west = max(math.floor((bbox.west + 180) / cell) * cell - 180, -180)
    east = min((math.floor((bbox.east + 180) / cell) + 1) * cell - 180, 180)
    in_grid = visible.filter(latitude__gte=south, latitude__lt=north, longitude__gte=west, longitude__lt=east)
    from_index = browse_from_index()

    def grid() -> list[dict]:
        if from_index:  # the same cells as an aggregation of the index's lat/lon fast fields
            return get_backend().browse_grid(_index_query(user, filters), (south, west, north, east), cell)
        return list(
            in_grid.annotate(
                cy=_CellIndex((F("latitude") + 90) / cell), cx=_CellIndex((F("longitude") + 180) / cell),
            ).values("cy", "cx").annotate(n=Count("id"), lat=Avg("latitude"), lon=Avg("longitude"), first=Min("id"))
            .order_by()
        )

    cells = cached_for_audience(DIRECTORY_VERSION, "actors:map", f"{zoom}|{south},{west},{north},{east}|"
                                f"{_filters_key(filters)}", grid, audience=visitors_audience(user),
                                seconds=browse_cache.SECONDS)
    count = sum(c["n"] for c in cells)
    point_fields = ("id", "slug", "name", "latitude", "longitude", "profile", "head_office__name")
    if count <= MAP_POINTS_LIMIT or zoom >= MAP_POINTS_ZOOM:
        view = (bbox.south, bbox.west, bbox.north, bbox.east)
        if from_index:  # the engine finds what is in view (a text filter would scan the table in SQL)
            ids, matches = get_backend().browse_ids_in_box(_index_query(user, filters), view, MAP_MAX_POINTS)
            in_view = permissions.visible_queryset(user, Organisation.objects.filter(pk__in=ids))
        else:
            in_view = visible.filter(latitude__gte=bbox.south, latitude__lte=bbox.north,
                                     longitude__gte=bbox.west, longitude__lte=bbox.east)
        clusters, rows = [], list(in_view.order_by("id").values(*point_fields)[:MAP_MAX_POINTS])
        # More than can be drawn: say how many there are.
        count = len(rows) if len(rows) < MAP_MAX_POINTS else matches if from_index else in_view.count()
    else:
        clusters = [c for c in cells if c["n"] > 1]
        # Read through the visible set again: a cached id never bypasses the permission check. The index
        # already applied the filters: only the permission rule is checked again, by primary key.
        firsts = [c["first"] for c in cells if c["n"] == 1]
        alone = (permissions.visible_queryset(user, Organisation.objects.filter(pk__in=firsts)) if from_index
                 else in_grid.filter(pk__in=firsts))
        rows = list(alone.values(*point_fields))
    trades = _trade_names([r["id"] for r in rows])
    return {
        "count": count,
        "clusters": [{"lat": round(c["lat"], 5), "lon": round(c["lon"], 5), "count": c["n"]} for c in clusters],
        "points": [
            {"slug": r["slug"], "name": r["name"], "lat": r["latitude"], "lon": r["longitude"], "profile": r["profile"],
             "commune": r["head_office__name"] or "", "trades": trades.get(r["id"], [])}
            for r in rows
        ],
    }


def _trade_names(ids: list[int]) -> dict[int, list[str]]:
    """Organisation id → its trades' names, in one query for the points the map draws (their popups)."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = (Organisation.trades.through.objects.filter(organisation_id__in=ids)
            .order_by("trade__position").values_list("organisation_id", "trade__name"))
    for organisation_id, name in rows:
        names[organisation_id].append(name)
    return names


def _filters_key(f: OrganisationFilters) -> str:
    territory = f.territory.key if f.territory else ""
    return repr((f.q, sorted(f.profiles), sorted(f.trades), f.scope, sorted(f.regions), sorted(f.departements),
                 sorted(f.typologies), territory, f.catalyst))


def departement_counts(user, filters: OrganisationFilters) -> dict[str, int]:
    """Département code → number of organisations matching the filters (for the choropleth)."""
    if browse_from_index():
        return get_backend().browse_facets(_index_query(user, filters), ["departement"])[1]["departement"]
    rows = organisations_for(user, filters).values("departement__code").annotate(n=Count("id")).order_by()
    return {r["departement__code"]: r["n"] for r in rows if r["departement__code"]}


def network_stats() -> dict:
    """The network in figures: published catalysts by profile, scope, trade, région (and overseas), and
    their growth by year joined. Public aggregates, the same for every visitor: cached for a minute under
    the data version. At national scale they come from the search index (a few aggregations instead of
    GROUP BYs over hundreds of thousands of rows)."""
    from_index = browse_from_index()
    return cached_for_audience(
        DIRECTORY_VERSION, "actors:network", str(from_index),
        lambda: _network_figures(*(_network_counts_index() if from_index else _network_counts_sql())),
        audience=PUBLIC, seconds=browse_cache.SECONDS)


def _network_counts_sql() -> tuple[int, dict, dict, dict, dict, dict]:
    catalysts = Organisation.objects.filter(is_catalyst=True, status=PublicationStatus.PUBLISHED)

    def by(column: str) -> dict:
        return {r[column]: r["n"] for r in catalysts.values(column).annotate(n=Count("id")).order_by()}

    trades = {r["trades__code"]: r["n"] for r in catalysts.filter(trades__isnull=False)
              .values("trades__code").annotate(n=Count("id", distinct=True)).order_by()}
    regions = {r["region__code"]: r["n"] for r in catalysts.filter(region__isnull=False).values("region__code")
               .annotate(n=Count("id")).order_by()}
    joined = {r["year"]: r["n"] for r in catalysts.filter(joined_on__isnull=False)
              .annotate(year=ExtractYear("joined_on")).values("year").annotate(n=Count("id")).order_by()}
    return catalysts.count(), by("profile"), by("scope"), trades, regions, joined


FIRST_JOINING_YEAR = 1900  # the index counts catalysts joined per calendar year from this one on


def _network_counts_index() -> tuple[int, dict, dict, dict, dict, dict]:
    # Published catalysts: what a visitor's grants see, with the catalyst flag.
    query = SearchQuery(filters={"kind": ["organisation"], "catalyst": ["1"]}, grants=["public"])
    years = range(FIRST_JOINING_YEAR, date.today().year + 2)
    bounds = [(date(y, 1, 1).toordinal(), date(y + 1, 1, 1).toordinal()) for y in years]
    total, counts = get_backend().browse_facets(query, ["profile", "scope", "trades", "region"],
                                                ranges={"joined": bounds})
    joined = {year: n for year, n in zip(years, counts["joined"], strict=True) if n}
    return total, counts["profile"], counts["scope"], counts["trades"], counts["region"], joined


def _network_figures(total: int, profiles: dict, scopes: dict, trades: dict, regions_by_code: dict,
                     joined: dict) -> dict:
    def share(n: int) -> float:
        return round(100 * n / total, 1) if total else 0.0

    places = {code: (name, zone) for code, name, zone in Territory.objects.filter(
        level=Level.REGION, kind=Kind.CURRENT, code__in=list(regions_by_code)).values_list("code", "name", "zone")}
    regions = sorted(({"code": code, "name": places[code][0], "overseas": places[code][1] != Zone.METRO, "count": n,
                       "share": share(n)} for code, n in regions_by_code.items() if code in places),
                     key=lambda r: (-r["count"], r["name"]))
    overseas = sum(r["count"] for r in regions if r["overseas"])
    unlocated = total - sum(r["count"] for r in regions)
    growth, running = [], 0
    for year in range(min(joined), max(joined) + 1) if joined else ():
        running += joined.get(year, 0)
        growth.append({"year": year, "joined": joined.get(year, 0), "cumulative": running})
    return {
        "catalysts": total,
        "profiles": [{"code": v, "label": str(label), "count": profiles.get(v, 0), "share": share(profiles.get(v, 0))}
                     for v, label in Profile.choices],
        "scopes": [{"code": v, "label": str(label), "count": scopes.get(v, 0), "share": share(scopes.get(v, 0))}
                   for v, label in Scope.choices],
        "trades": [{"code": t.code, "label": t.name, "count": trades.get(t.code, 0),
                    "share": share(trades.get(t.code, 0))} for t in Trade.objects.all()],
        "regions": regions,
        "metropole": {"count": total - overseas - unlocated, "share": share(total - overseas - unlocated)},
        "overseas": {"count": overseas, "share": share(overseas)},
        "unlocated": unlocated,
        "growth": growth,
        "joined_unknown": total - sum(joined.values()),
    }


def organisation_redirect_slug(slug: str) -> str | None:
    """The slug of the organisation that an organisation with this (old) slug was merged into, if any."""
    return (MergeRecord.objects.filter(removed_slug=slug, kept__isnull=False).order_by("-merged_at")
            .values_list("kept__slug", flat=True).first())
