"""Reads: what pages, the API, alerts and benchmarks call. One place turns request parameters into an engine
query (with the person's grants), runs it and decorates the hits (snippets, labels)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from .backends import get_backend
from .backends.base import FACETS, SORTS, Alt, Clause, SearchBackend, SearchQuery, SearchResults
from .documents import grants_for, indexed_kinds
from .parsing import highlight_words, parse
from .snippets import SNIPPET_CHARS, Highlighter
from .vocabulary import vocabulary

MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_RADIUS_KM = 300.0
DEFAULT_RADIUS_KM = 20.0
FILTER_PARAMS = {"kind": "kind", "profil": "profile", "metier": "trades", "theme": "themes", "odd": "sdgs",
                 "stade": "stage", "region": "region", "departement": "departement"}
TERRITORY_LEVELS = ("region", "departement", "epci", "commune")


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
        """From request.GET (French names: profil, metier, theme, odd, stade…; the API also accepts the
        facet names profile, trades, themes, sdgs, stage)."""
        p = cls(q=(data.get("q") or "").strip()[:300])
        for param, facet in FILTER_PARAMS.items():
            values = [v for v in data.getlist(param) if v] + [v for v in data.getlist(facet) if v and facet != param]
            if values:
                p.filters[facet] = values[:20]
        unknown_kinds = set(p.filters.get("kind", [])) - set(indexed_kinds())
        if unknown_kinds:
            raise InvalidSearch(f"kind: type inconnu {', '.join(sorted(unknown_kinds))}")
        p.territory = (data.get("territory") or data.get("territoire") or "").strip()
        if p.territory:
            level, _, code = p.territory.partition(":")
            if level not in TERRITORY_LEVELS or not code:
                raise InvalidSearch("territory: attendu niveau:code, par exemple departement:59 ou region:32")
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
    """"Initiatives similaires": close texts plus shared themes, SDGs and territory; each hit carries the
    reason. Same kind as the source; `user`'s grants apply."""
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
    themes = [labels["themes"].get(t, t) for t in source.themes if t in hit.themes]
    if themes:
        parts.append("thèmes communs : " + ", ".join(themes))
    sdgs = [s for s in source.sdgs if s in hit.sdgs]
    if sdgs:
        parts.append("ODD communs : " + ", ".join(sdgs))
    deps = [t.split(":")[1] for t in source.territories if t.startswith("departement:") and t in hit.territories]
    regions = [t.split(":")[1] for t in source.territories if t.startswith("region:") and t in hit.territories]
    if deps:
        parts.append("même département : " + ", ".join(labels["departement"].get(d, d) for d in deps))
    elif regions:
        parts.append("même région : " + ", ".join(labels["region"].get(r, r) for r in regions))
    return " ; ".join(parts) or "texte proche"


_labels_cache: tuple[float, dict] | None = None
LABELS_TTL_S = 300.0


def facet_labels() -> dict[str, dict[str, str]]:
    """Display names for facet values (codes in the index); reference lists, cached a few minutes."""
    global _labels_cache
    now = time.monotonic()
    if _labels_cache is None or now - _labels_cache[0] > LABELS_TTL_S:
        _labels_cache = (now, _load_facet_labels())
    return _labels_cache[1]


def _load_facet_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {f: {} for f in FACETS}
    labels["kind"] = {k: v.label for k, v in indexed_kinds().items()}
    Organisation = apps.get_model("actors", "Organisation")
    labels["profile"] = {str(k): str(v) for k, v in Organisation._meta.get_field("profile").choices}
    labels["trades"] = dict(apps.get_model("actors", "Trade").objects.values_list("code", "name"))
    Territory = apps.get_model("territories", "Territory")
    for level in ("region", "departement"):
        labels[level] = dict(Territory.objects.filter(level=level, kind="current").values_list("code", "name"))
    if "initiative" in indexed_kinds():
        Initiative = apps.get_model("initiatives", "Initiative")
        labels["themes"] = dict(apps.get_model("initiatives", "Theme").objects.values_list("code", "name"))
        labels["sdgs"] = {str(n): f"{n}. {name}" for n, name in apps.get_model("initiatives", "Sdg").objects
                          .values_list("number", "name")}
        labels["stage"] = {str(k): str(v) for k, v in Initiative._meta.get_field("stage").choices}
    return labels
