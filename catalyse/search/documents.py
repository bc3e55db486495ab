"""What the index holds: one `SearchDocument` per searchable object, built from the database in bulk.

Territory codes of the object AND of all its ancestors go into `territories` ("region:32",
"departement:59", "epci:200041960", "commune:59360"), so that any geographic filter is one term query.
`audience` encodes who may see the document, as terms matched against the person's grants (see
`grants_for`): "public", "members", "org:<id>" (people of that organisation), "user:<id>" (the creator).

The browse fields (scope … started_on) serve the directory and the initiatives list, which read their
filters, facets and sort order from the index (see docs/architecture.md, "Faceted browsing").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from django.apps import apps
from django.db.models import Model, QuerySet
from django.urls import reverse

from catalyse.core import permissions
from catalyse.core.text import fold

BODY_STORED_CHARS = 4000  # enough for snippets; the database keeps the full text


@dataclass
class SearchDocument:
    kind: str
    object_id: int
    title: str
    url: str
    summary: str = ""
    body: str = ""
    themes: list[str] = field(default_factory=list)
    sdgs: list[str] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)
    trades: list[str] = field(default_factory=list)
    stage: list[str] = field(default_factory=list)
    territories: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    departement: list[str] = field(default_factory=list)
    carriers: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=lambda: ["public"])
    lat: float | None = None
    lon: float | None = None
    updated_at: datetime | None = None
    # Browse fields: organisations (scope … joined_on), initiatives (status, started_on).
    scope: list[str] = field(default_factory=list)
    typology: list[str] = field(default_factory=list)
    catalyst: list[str] = field(default_factory=list)  # "1" or "0"
    identifiers: list[str] = field(default_factory=list)  # SIREN, SIRET, RNA as typed in the register
    joined_on: date | None = None
    status: list[str] = field(default_factory=list)
    started_on: date | None = None

    @property
    def sort_name(self) -> str:
        """The title as the A → Z order compares it: accents and case do not move a name."""
        return fold(self.title)

    @property
    def doc_id(self) -> str:
        return f"{self.kind}:{self.object_id}"

    @property
    def rotation(self) -> int:
        """A stable pseudo-random position on a ring, used for fair exposure among equal scores."""
        return rotation_key(self.doc_id)


def rotation_key(doc_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=4).digest(), "big")


@dataclass(frozen=True)
class TerritoryInfo:
    terms: tuple[str, ...]
    region: str
    departement: str
    lat: float | None
    lon: float | None


@lru_cache(maxsize=1)
def territory_index() -> dict[int, TerritoryInfo]:
    """Every territory's own and ancestors' terms, loaded once per process (the referential changes yearly)."""
    Territory = apps.get_model("territories", "Territory")
    fields = ["pk", "level", "code", "region__code", "departement__code", "epci__code"]
    has_point = hasattr(Territory, "latitude")
    if has_point:
        fields += ["latitude", "longitude"]
    out = {}
    for row in Territory.objects.values_list(*fields).iterator(chunk_size=5000):
        pk, level, code, reg, dep, epci = row[:6]
        reg = code if level == "region" else (reg or "")
        dep = code if level == "departement" else (dep or "")
        terms = [f"{level}:{code}"]
        terms += [f"region:{reg}"] if reg and level != "region" else []
        terms += [f"departement:{dep}"] if dep and level != "departement" else []
        terms += [f"epci:{epci}"] if epci else []
        lat, lon = (row[6], row[7]) if has_point else (None, None)
        out[pk] = TerritoryInfo(tuple(dict.fromkeys(terms)), reg, dep, lat, lon)
    return out


_placements: dict[tuple[int, ...], tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], float | None,
                                          float | None]] = {}


def _place(doc: SearchDocument, territory_ids: Iterable[int]) -> None:
    """Territory terms, région and département codes of the territories, and the first one's point if the
    document has none. Remembered per combination of territories: most organisations have only their head
    office, so a rebuild computes each commune's once rather than once per organisation."""
    key = tuple(territory_ids)
    placement = _placements.get(key)
    if placement is None:
        if len(_placements) > 100_000:
            _placements.clear()
        placement = _placements[key] = _placement(key)
    terms, regions, deps, lat, lon = placement
    doc.territories, doc.region, doc.departement = list(terms), list(regions), list(deps)
    if doc.lat is None and lat is not None:
        doc.lat, doc.lon = lat, lon


def _placement(territory_ids: tuple[int, ...]):
    index = territory_index()
    terms, regions, deps = {}, {}, {}
    lat = lon = None
    for tid in territory_ids:
        info = index.get(tid)
        if info is None and tid is not None:
            # `load_territories` adds territories (the yearly referential update) while worker processes keep
            # their copy: an unknown id means the copy is stale, not that the territory has no ancestors.
            territory_index.cache_clear()
            _placements.clear()
            index = territory_index()
            info = index.get(tid)
        if info is None:
            continue
        terms.update(dict.fromkeys(info.terms))
        if info.region:
            regions[info.region] = None
        if info.departement:
            deps[info.departement] = None
        if lat is None and info.lat is not None:
            lat, lon = info.lat, info.lon
    return tuple(terms), tuple(regions), tuple(deps), lat, lon


# --- builders: (queryset of the kind) -> documents, prefetching what they need -------------------------

INITIATIVE_KINDS = ("initiative", "practice_sheet", "resource")
# Facets that only some kinds fill (see the builders below): engines need not count them over other kinds.
# A test builds every kind's documents and checks the others leave these empty.
FACET_KINDS = {"trades": ("organisation",), "themes": INITIATIVE_KINDS, "sdgs": INITIATIVE_KINDS,
               "stage": INITIATIVE_KINDS}


def _organisations(qs: QuerySet) -> Iterator[SearchDocument]:
    """Rows as tuples and many-to-many links in one query per chunk: at a million organisations, model
    instances, prefetch machinery and a reverse() per row would dominate the rebuild."""
    Organisation = qs.model
    trade_codes = dict(apps.get_model("actors", "Trade").objects.values_list("pk", "code"))
    url_pattern = reverse("actors:detail", args=["SLUG"])
    columns = ("pk", "name", "slug", "legal_form", "description", "profile", "status", "created_by_id", "latitude",
               "longitude", "updated_at", "head_office_id", "region_id", "departement_id", "scope", "typology",
               "is_catalyst", "siren", "siret", "rna", "joined_on")
    for rows in _chunks(qs, columns, 5000):
        lo, hi = rows[0][0], rows[-1][0]
        trades: dict[int, list[str]] = {}
        for oid, tid in Organisation.trades.through.objects.filter(
                organisation_id__gte=lo, organisation_id__lte=hi).values_list("organisation_id", "trade_id"):
            trades.setdefault(oid, []).append(trade_codes[tid])
        places: dict[int, list[int]] = {}
        for oid, tid in Organisation.territories.through.objects.filter(
                organisation_id__gte=lo, organisation_id__lte=hi).values_list("organisation_id", "territory_id"):
            places.setdefault(oid, []).append(tid)
        for (pk, name, slug, legal, desc, profile, status, creator, lat, lon, updated, head, region, dep, scope,
             typology, catalyst, siren, siret, rna, joined) in rows:
            doc = SearchDocument(
                kind="organisation", object_id=pk, title=name, url=url_pattern.replace("SLUG", slug),
                summary=legal, body=desc[:BODY_STORED_CHARS], profile=[profile], trades=trades.get(pk, []),
                lat=lat, lon=lon, updated_at=updated,
                audience=["public"] if status == "published" else _private_audience([pk], creator),
                scope=[scope], typology=[typology] if typology else [], catalyst=["1" if catalyst else "0"],
                identifiers=[i for i in (siren, siret, rna) if i], joined_on=joined,
            )
            _place(doc, [head, *places.get(pk, ())])
            index = territory_index()  # after _place, which reloads it when stale
            # The région and département facets are the head office's, as in the directory (the territories
            # of action stay in `territories`, which the territory filter matches).
            doc.region = [index[region].region] if region in index else []
            doc.departement = [index[dep].departement] if dep in index else []
            yield doc


def _private_audience(org_ids: Iterable[int], creator_id: int | None) -> list[str]:
    return [f"org:{i}" for i in org_ids] + ([f"user:{creator_id}"] if creator_id else [])


def initiative_audience(publication: str, visibility: str, partner_ids: Iterable[int],
                        creator_id: int | None) -> list[str]:
    """Mirrors initiatives.permissions.InitiativePolicy.visible_q (a test checks both agree)."""
    if publication == "published" and visibility == "public":
        return ["public"]
    extra = ["members"] if publication == "published" and visibility == "members" else []
    return extra + _private_audience(sorted(set(partner_ids)), creator_id)


@dataclass
class _InitiativeFacts:
    """What an initiative lends to its own document and to those of its sheets and resources."""

    stage: str
    audience: list[str]
    status: str
    started_on: date | None
    themes: list[str] = field(default_factory=list)
    sdgs: list[str] = field(default_factory=list)
    carriers: list[str] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)  # of the partners: the initiatives list's profile facet
    territory_ids: list[int] = field(default_factory=list)


def _among(field: str, ids: list[int]) -> dict:
    """A filter on `field` for these ids: a range when they are dense (a rebuild's part), as SQL compares two
    bounds per row where a list needs one value per id (ORM and database time alike); sparse ids go through
    `any_of` (catalyse/core/lookups.py). Rows of ids in the range but not in `ids` may come too: callers build
    facts for them as well."""
    lo, hi = min(ids), max(ids)
    return {f"{field}__gte": lo, f"{field}__lte": hi} if hi - lo < 2 * len(ids) else {f"{field}__any_of": ids}


def _initiative_facts(ids: list[int]) -> dict[int, _InitiativeFacts]:
    """Facts of these initiatives in five queries, whatever their number (no model instances)."""
    if not ids:
        return {}
    Initiative = apps.get_model("initiatives", "Initiative")
    Partnership = apps.get_model("initiatives", "Partnership")
    theme_codes = dict(apps.get_model("initiatives", "Theme").objects.values_list("pk", "code"))
    partners: dict[int, list[tuple[int, str]]] = {}
    carriers: dict[int, set[str]] = {}
    profiles: dict[int, set[str]] = {}
    # No ORDER BY: the model's default order (by date joined) would sort every partnership of the range.
    for iid, oid, role, profile, org_status in Partnership.objects.filter(
            **_among("initiative_id", ids)).order_by().values_list(
            "initiative_id", "organisation_id", "role", "organisation__profile", "organisation__status"):
        partners.setdefault(iid, []).append((oid, role))
        profiles.setdefault(iid, set()).add(profile)
        if role == "porteur" and org_status == "published":  # the document is one for every reader
            carriers.setdefault(iid, set()).add(str(oid))
    facts = {}
    for pk, stage, publication, visibility, creator, status, started in Initiative.objects.filter(
            **_among("pk", ids)).values_list("pk", "stage", "publication", "visibility", "created_by_id", "status",
                                             "start_date"):
        mine = partners.get(pk, [])
        facts[pk] = _InitiativeFacts(
            stage=stage, audience=initiative_audience(publication, visibility, (o for o, _ in mine), creator),
            status=status, started_on=started,
            carriers=sorted(carriers.get(pk, ())),
            profiles=sorted(profiles.get(pk, ())),
        )
    for iid, tid in Initiative.themes.through.objects.filter(**_among("initiative_id", ids)).values_list(
            "initiative_id", "theme_id"):
        facts[iid].themes.append(theme_codes[tid])
    for iid, sdg in Initiative.sdgs.through.objects.filter(**_among("initiative_id", ids)).values_list(
            "initiative_id", "sdg_id"):
        facts[iid].sdgs.append(str(sdg))
    for iid, tid in Initiative.territories.through.objects.filter(**_among("initiative_id", ids)).values_list(
            "initiative_id", "territory_id"):
        facts[iid].territory_ids.append(tid)
    return facts


def _initiative_doc(f: _InitiativeFacts, kind: str, object_id: int, title: str, url: str, summary: str, body: str,
                    territory_ids: list[int], updated_at) -> SearchDocument:
    doc = SearchDocument(
        kind=kind, object_id=object_id, title=title, url=url, summary=summary, body=body[:BODY_STORED_CHARS],
        themes=f.themes, sdgs=f.sdgs, stage=[f.stage], carriers=f.carriers, audience=f.audience,
        updated_at=updated_at, status=[f.status], started_on=f.started_on, profile=f.profiles,
    )
    _place(doc, territory_ids)
    return doc


def _chunks(qs: QuerySet, columns: tuple[str, ...], size: int = 2000) -> Iterator[list[tuple]]:
    """Rows of `qs` as tuples (pk first), in primary-key order, `size` at a time."""
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk").values_list(*columns)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _initiatives(qs: QuerySet) -> Iterator[SearchDocument]:
    url_pattern = reverse("initiatives:detail", args=["SLUG"])
    for rows in _chunks(qs, ("pk", "title", "slug", "summary", "recit", "updated_at"), 5000):
        facts = _initiative_facts([r[0] for r in rows])
        for pk, title, slug, summary, recit, updated in rows:
            f = facts[pk]
            yield _initiative_doc(f, "initiative", pk, title, url_pattern.replace("SLUG", slug), summary, recit,
                                  f.territory_ids, updated)


def _sheets(qs: QuerySet) -> Iterator[SearchDocument]:
    for chunk in _chunks(qs, ("pk",), 1000):
        sheets = list(qs.model._default_manager.filter(pk__in=[r[0] for r in chunk]).select_related("initiative"))
        facts = _initiative_facts([s.initiative_id for s in sheets])
        for s in sheets:
            f = facts[s.initiative_id]
            body = "\n".join(x for x in (s.description, s.actors_involved, s.tools_used, s.next_step) if x)
            places = [s.territory_id] if s.territory_id else f.territory_ids
            yield _initiative_doc(f, "practice_sheet", s.pk, s.title, s.get_absolute_url(), s.objective, body,
                                  places, s.updated_at)


def _resources(qs: QuerySet) -> Iterator[SearchDocument]:
    for chunk in _chunks(qs, ("pk",), 1000):
        resources = list(qs.model._default_manager.filter(pk__in=[r[0] for r in chunk])
                         .select_related("initiative"))
        facts = _initiative_facts([r.initiative_id for r in resources])
        for r in resources:
            f = facts[r.initiative_id]
            yield _initiative_doc(f, "resource", r.pk, r.title, r.href or r.initiative.get_absolute_url(),
                                  r.description, "", f.territory_ids, r.created_at)


@dataclass(frozen=True)
class IndexedKind:
    kind: str
    model_label: str
    build: Callable[[QuerySet], Iterator[SearchDocument]]
    label: str
    icon: str

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
        qs = self.model._default_manager.order_by("pk")
        return self.build(qs if ids is None else qs.filter(pk__in=list(ids)))

    def documents_between(self, first: int, last: int) -> Iterator[SearchDocument]:
        """Documents of the objects whose primary key is in [first, last] (a part of a rebuild)."""
        return self.build(self.model._default_manager.order_by("pk").filter(pk__range=(first, last)))


_ALL_KINDS = [
    IndexedKind("organisation", "actors.Organisation", _organisations, "Acteur", "🏢"),
    IndexedKind("initiative", "initiatives.Initiative", _initiatives, "Initiative", "🌱"),
    IndexedKind("practice_sheet", "initiatives.PracticeSheet", _sheets, "Fiche pratique", "📋"),
    IndexedKind("resource", "initiatives.Resource", _resources, "Ressource", "📎"),
]


def indexed_kinds() -> dict[str, IndexedKind]:
    """The kinds whose app is installed (events join here when they exist)."""
    out = {}
    for k in _ALL_KINDS:
        try:
            k.model  # noqa: B018
        except LookupError:
            continue
        out[k.kind] = k
    return out


def grants_for(user) -> list[str] | None:
    """The audience terms `user` may see; None means everything (animators and administrators)."""
    if permissions.is_animator(user):
        return None
    if not permissions.is_member(user):
        return ["public"]
    Membership = apps.get_model("actors", "Membership")
    org_ids = Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    return ["public", "members", f"user:{user.pk}", *(f"org:{i}" for i in org_ids)]
