"""Reads: what pages, the API, alerts and benchmarks call. One place turns request parameters into an engine
query (with the person's grants), runs it and decorates the hits (snippets, labels)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from catalyse.territories.keys import parse_territory_key, territory_key
from catalyse.territories.models import Level

from .backends import get_backend
from .backends.base import SORTS, Alt, Clause, SearchBackend, SearchQuery, SearchResults, facet_names
from .documents import grants_for
from .parsing import highlight_words, parse
from .registry import indexed_kinds, layout
from .snippets import SNIPPET_CHARS, Highlighter
from .vocabulary import vocabulary

MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_RADIUS_KM = 300.0
DEFAULT_RADIUS_KM = 20.0


def filter_params() -> dict[str, str]:
    """The page's parameter of each facet (French: profil, theme, odd… as the kinds declare them)."""
    return {"kind": "kind", **{f.param or f.name: f.name for f in layout().offered}, "region": "region",
            "departement": "departement"}


class InvalidSearch(ValueError):
    """A parameter that cannot be understood; the message is shown to the person (422 in the API)."""


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    territory: str = ""
    near: tuple[float, float] | None = None
    radius: float = DEFAULT_RADIUS_KM
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0

    @classmethod
    def from_query_dict(cls, data, *, english: bool = False) -> SearchParams:
        """From request.GET (the facets' French names: profil, theme, odd…; the API also accepts the facet
        names profile, themes, sdgs…)."""
        p = cls(q=(data.get("q") or "").strip()[:300])
        for param, facet in filter_params().items():
            values = [v for v in data.getlist(param) if v] + [v for v in data.getlist(facet) if v and facet != param]
            if values:
                p.filters[facet] = values[:20]
        unknown_kinds = set(p.filters.get("kind", [])) - set(indexed_kinds())
        if unknown_kinds:
            raise InvalidSearch(f"kind: type inconnu {', '.join(sorted(unknown_kinds))}")
        p.territory = (data.get("territory") or data.get("territoire") or "").strip()
        if p.territory:
            if (parsed := parse_territory_key(p.territory, default_level="")) is None:
                raise InvalidSearch("territory: attendu niveau:code, par exemple departement:59 ou region:32")
            p.territory = territory_key(*parsed)  # as the index writes it (departement:2A)
        near = (data.get("near") or data.get("pres") or "").strip()
        if near:
            try:
                lat, lon = (float(x) for x in near.split(","))
            except ValueError:
                raise InvalidSearch("near: attendu « latitude,longitude », par exemple 50.43,2.83") from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise InvalidSearch("near: coordonnées hors limites")
            p.near = (lat, lon)
        p.radius = _number(data, "radius", DEFAULT_RADIUS_KM, 0.1, MAX_RADIUS_KM, float)
        p.sort = (data.get("sort") or data.get("tri") or "relevance").strip()
        if p.sort not in SORTS:
            raise InvalidSearch(f"sort: choisir parmi {', '.join(SORTS)}")
        if p.sort == "distance" and not p.near:
            raise InvalidSearch("sort=distance demande near=latitude,longitude")
        p.limit = _number(data, "limit", 20, 1, MAX_LIMIT, int)
        p.offset = _number(data, "offset", 0, 0, MAX_OFFSET, int)
        return p


def _number(data, name, default, lo, hi, kind):
    raw = data.get(name)
    if raw in (None, ""):
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise InvalidSearch(f"{name}: nombre attendu") from None
    if not lo <= value <= hi:
        raise InvalidSearch(f"{name}: entre {lo} et {hi}")
    return value


def rotation_salt(day: dt.date | None = None) -> int:
    """Changes every day: the fair-exposure ring starts elsewhere each day (see backends.base.fair_order)."""
    day = day or timezone.localdate()
    return (day.toordinal() * 2654435761) % 2**32


def vocabulary_seen_by(grants: list[str] | None, backend: SearchBackend):
    """The vocabulary whose words "did you mean" may tell the holder of `grants` (see ReaderVocabulary)."""
    if grants is None:
        return vocabulary()

    def seen(grants: list[str], term: str) -> bool:
        probe = SearchQuery(clauses=[Clause(alts=[Alt(term)])], grants=grants, limit=1, with_facets=False)
        return backend.search(probe).total > 0

    return vocabulary().seen_by(grants, seen)


def build_query(user, params: SearchParams, *, autocomplete: bool = False, with_facets: bool = True,
                backend: SearchBackend | None = None):
    grants = grants_for(user)
    parsed = parse(params.q, vocabulary_seen_by(grants, backend or get_backend()), autocomplete=autocomplete)
    filters = {k: list(v) for k, v in params.filters.items()}
    if params.territory:
        filters["territories"] = [params.territory]
    query = SearchQuery(
        clauses=parsed.clauses, excluded=parsed.excluded, filters=filters, grants=grants,
        near=(*params.near, params.radius) if params.near else None, sort=params.sort, limit=params.limit,
        offset=params.offset, with_facets=with_facets, rotation_salt=rotation_salt(),
    )
    return query, parsed


def search_run(user, params: SearchParams, *, autocomplete: bool = False, with_facets: bool = True,
               backend=None) -> SearchResults:
    """Search as `user`: only what they may see is matched, counted and faceted."""
    backend = backend or get_backend()
    query, parsed = build_query(user, params, autocomplete=autocomplete, with_facets=with_facets, backend=backend)
    results = backend.search(query)
    results.suggestion = parsed.suggestion
    highlight = Highlighter(highlight_words(parsed, vocabulary()), parsed.highlight_prefixes)
    for h in results.hits:
        h.snippet = highlight(h.summary, SNIPPET_CHARS)
        if h.body and "<mark>" not in h.snippet:
            h.snippet = highlight(h.body, SNIPPET_CHARS)
        h.title_html = highlight(h.title)
    return results


def similar_items(user, kind: str, object_id: int, limit: int = 5, backend=None):
    """"Initiatives similaires": close texts plus shared values of the facets the kinds compare (themes,
    SDGs) and territory; each hit carries the reason. Same kind as the source; `user`'s grants apply."""
    backend = backend or get_backend()
    source = backend.get(f"{kind}:{object_id}")
    if source is None:
        return []
    query = SearchQuery(filters={"kind": [kind]}, grants=grants_for(user), limit=limit, with_facets=False,
                        exclude_doc_ids=[source.doc_id], rotation_salt=rotation_salt())
    hits = backend.more_like_this(source, query).hits
    labels = facet_labels()
    for h in hits:
        h.reason = _reason(source, h, labels)
    return hits


def _reason(source, hit, labels) -> str:
    parts = []
    for facet in layout().similar:
        mine = hit.terms.get(facet.name, [])
        shared = [labels[facet.name].get(v, v) for v in source.terms.get(facet.name, []) if v in mine]
        if shared:
            parts.append(f"{facet.reason} : " + ", ".join(shared))
    shared = [parse_territory_key(t) for t in source.territories if t in hit.territories]
    deps = [code for level, code in filter(None, shared) if level == Level.DEPARTEMENT]
    regions = [code for level, code in filter(None, shared) if level == Level.REGION]
    if deps:
        parts.append("même département : " + ", ".join(labels["departement"].get(d, d) for d in deps))
    elif regions:
        parts.append("même région : " + ", ".join(labels["region"].get(r, r) for r in regions))
    return " ; ".join(parts) or "texte proche"


_labels_cache: tuple[float, object, dict] | None = None
LABELS_TTL_S = 300.0


def facet_labels() -> dict[str, dict[str, str]]:
    """Display names for facet values (codes in the index); reference lists, cached a few minutes (and
    until a kind is registered)."""
    global _labels_cache
    now, current = time.monotonic(), layout()
    if _labels_cache is None or now - _labels_cache[0] > LABELS_TTL_S or _labels_cache[1] is not current:
        _labels_cache = (now, current, _load_facet_labels())
    return _labels_cache[2]


def _load_facet_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {f: {} for f in facet_names()}
    labels["kind"] = {k: str(v.label) for k, v in indexed_kinds().items()}
    for facet in layout().offered:
        if facet.labels is not None:
            labels[facet.name] = facet.labels()
    Territory = apps.get_model("territories", "Territory")
    for level in ("region", "departement"):
        labels[level] = dict(Territory.objects.filter(level=level, kind="current").values_list("code", "name"))
    return labels
