"""What the index holds, declared by the apps that own it: each app registers its search kinds from its own
`AppConfig.ready()`, and `search` builds, indexes, filters, counts and labels them without naming any.

A kind brings its document builder (bulk: rows as tuples, related rows in a few queries per chunk), its own
fields — facets with their labels, browse-only codes, dates a listing orders by — and the changes of other
objects that alter its documents (`dependents`, `watches`). The index's physical schema is the union of the
registered kinds' fields (`layout()`): a kind that declares a new field changes the schema's fingerprint,
and an index written with another fingerprint is emptied and flagged for a rebuild.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from .documents import SearchDocument


@dataclass(frozen=True)
class Facet:
    """A keyword field: codes that filters match exactly and facets count (`SearchDocument.terms[name]`).

    With a `title`, the search page and the API offer it as a facet (filter `?<param>=` or `?<name>=`);
    without, it serves the kind's own listing pages only (their filters and disjunctive counts)."""

    name: str
    title: str = ""
    param: str = ""  # the search page's French parameter name; the API also accepts `name`
    labels: Callable[[], dict[str, str]] | None = None  # code → display name (reference data, cached minutes)
    # Short lists per document (a few codes): Tantivy also counts them through one "a|b" combination column,
    # far cheaper than its multi-valued aggregation (docs/search.md).
    short: bool = False
    similar: float = 0.0  # weight of a shared value in "similar items" (0: not compared)
    reason: str = ""  # how shared values are explained there: "thèmes communs"


@dataclass(frozen=True)
class DateField:
    """A date a listing orders by, most recent first (browse sort "-<name>"; `SearchDocument.dates[name]`);
    equal dates are ordered by name ("name") or by object id ("oid")."""

    name: str
    tie: str = "oid"


Dependents = Callable[[list[int]], Iterable[tuple[str, Iterable[int]]]]


@dataclass(frozen=True)
class Watch:
    """Another model whose saves and deletes change documents of the kind (a partnership changes who may see
    an initiative): `ids(instance)` gives the kind's object ids to re-index."""

    model_label: str
    ids: Callable[[Model], Iterable[int]]


@dataclass(frozen=True)
class SearchKind:
    """One kind of indexed object. `build` turns a queryset of the model (ordered by primary key) into its
    documents, filling `terms` and `dates` with the kind's declared `fields` only; documents carry their own
    URL and audience (computed in bulk by the builder: a call per document would dominate a rebuild)."""

    kind: str
    model_label: str
    build: Callable[[QuerySet], Iterator[SearchDocument]]
    label: str
    icon: str = ""
    fields: tuple[Facet | DateField, ...] = ()
    watches: tuple[Watch, ...] = ()

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    @cached_property
    def number(self) -> int:
        """A stable number of the kind (engines pack it with the object id into one integer)."""
        return zlib.crc32(self.kind.encode()) % (1 << 20) + 1

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
        qs = self.model._default_manager.order_by("pk")
        return self.build(qs if ids is None else qs.filter(pk__in=list(ids)))

    def documents_between(self, first: int, last: int) -> Iterator[SearchDocument]:
        """Documents of the objects whose primary key is in [first, last] (a part of a rebuild)."""
        return self.build(self.model._default_manager.order_by("pk").filter(pk__range=(first, last)))


_kinds: dict[str, SearchKind] = {}
_grants: list[Callable] = []
_dependents: dict[str, list[Dependents]] = {}


def register(kind: SearchKind) -> None:
    """Declare a kind (from the owning app's `ready()`); its model's changes then reach the index."""
    from . import signals

    other = next((k for k in _kinds.values() if k.number == kind.number and k.kind != kind.kind), None)
    if other is not None:
        raise ValueError(f"search kinds {kind.kind!r} and {other.kind!r} share a number: rename one")
    _kinds[kind.kind] = kind
    _changed()
    signals.connect(kind)


def unregister(name: str) -> None:
    """Forget a kind (tests that register one of their own)."""
    from . import signals

    kind = _kinds.pop(name)
    _changed()
    signals.disconnect(kind)


def register_grants(grants: Callable[[Model], Iterable[str]]) -> None:
    """Add audience terms a signed-in member holds besides "public", "members" and "user:<id>" (the
    organisations they belong to: "org:<id>"); see documents.grants_for."""
    if grants not in _grants:
        _grants.append(grants)


def register_dependents(kind: str, dependents: Dependents) -> None:
    """Declare documents that copy data from objects of `kind`: `dependents(ids)` gives (kind, ids) pairs to
    re-index with them (an initiative's sheets and resources; the initiatives an organisation partners, which
    carry its profile). The app that copies the data registers it, even on another app's kind."""
    hooks = _dependents.setdefault(kind, [])
    if dependents not in hooks:
        hooks.append(dependents)


def dependents_of(kind: str) -> list[Dependents]:
    return _dependents.get(kind, [])


def indexed_kinds() -> dict[str, SearchKind]:
    """The registered kinds, in registration order (the apps' order in INSTALLED_APPS)."""
    return dict(_kinds)


def kinds_of_model(model: type[Model]) -> list[SearchKind]:
    label = model._meta.label
    return [k for k in _kinds.values() if k.model_label == label]


# --- the union of the kinds' fields --------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per registry state
class Layout:
    """The fields of every registered kind, merged by name (the first declaration of a name wins)."""

    facets: tuple[Facet, ...]  # every keyword field, in registration order
    dates: tuple[DateField, ...]
    kinds_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field name → kinds declaring it

    @cached_property
    def offered(self) -> tuple[Facet, ...]:
        """The facets of the search page and the API (those with a title)."""
        return tuple(f for f in self.facets if f.title)

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.facets)

    @cached_property
    def similar(self) -> tuple[Facet, ...]:
        return tuple(f for f in self.offered if f.similar)

    @cached_property
    def fingerprint(self) -> str:
        """Changes when a field is added, removed or changes nature: the engines' schemas follow it."""
        text = "|".join([*(f"{f.name}:{int(f.short)}:{int(bool(f.title))}" for f in self.facets),
                         *(f"date:{d.name}" for d in self.dates),
                         *sorted(f"kind:{k.kind}:{k.number}" for k in _kinds.values())])
        return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


_layout: Layout | None = None
# The fields every document has (documents.SearchDocument) and the engines' own: no kind may declare them.
RESERVED = frozenset({"id", "doc_id", "kind", "object_id", "title", "url", "summary", "body", "vector", "terms",
                      "dates", "audience", "restricted", "territories", "region", "departement", "lat", "lon",
                      "updated", "rot", "payload", "oid", "key", "sort_name", "identifiers", "name"})


def _changed() -> None:
    global _layout
    _layout = None


def layout() -> Layout:
    global _layout
    if _layout is None:
        facets: dict[str, Facet] = {}
        dates: dict[str, DateField] = {}
        kinds_of: dict[str, list[str]] = {}
        for k in _kinds.values():
            for f in k.fields:
                if f.name in RESERVED or f.name.endswith("_set") or not re.fullmatch("[a-z][a-z0-9_]{0,40}", f.name):
                    raise ValueError(f"search kind {k.kind!r}: {f.name!r} cannot name a field")
                (dates if isinstance(f, DateField) else facets).setdefault(f.name, f)
                kinds_of.setdefault(f.name, []).append(k.kind)
        _layout = Layout(tuple(facets.values()), tuple(dates.values()),
                         {name: tuple(ks) for name, ks in kinds_of.items()})
    return _layout
