"""GET /api/v1/search — the same search as /recherche/, as JSON."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import BaseModel, create_model

from .queries import InvalidSearch, SearchParams, facet_labels, search_run, similar_items
from .registry import indexed_kinds, layout

router = Router(tags=["recherche"])


# Responses are plain pydantic models: ninja's Schema runs a Python validator on every nested object (built
# for ORM instances), a quarter of the request time for 20 hits and 200 facet values; these are dicts.
class HitOut(BaseModel):
    id: str
    kind: str
    title: str
    url: str
    snippet: str
    score: float
    distance_km: float | None = None


class FacetValue(BaseModel):
    value: str
    label: str
    count: int


class SearchOut(BaseModel):
    count: int
    # True when `count` and the facet counts are estimates (very large result sets on some engines).
    estimated: bool = False
    limit: int
    offset: int
    suggestion: str | None
    hits: list[HitOut]
    facets: dict[str, list[FacetValue]]


class SearchFilters(Schema):
    q: str = ""
    kind: list[str] = []
    region: list[str] = []
    departement: list[str] = []
    territory: str = ""
    near: str = ""
    radius: float | None = None
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0
    autocomplete: bool = False
    facets: bool = True


def _filters_schema() -> type[Schema]:
    """The documented parameters, with one list per facet that a registered kind offers (this module is
    imported with the URLs, once every app has registered its kinds)."""
    return create_model("SearchFilters", __base__=SearchFilters,
                        **{f.name: (list[str], []) for f in layout().offered})


@router.get("", response=SearchOut, url_name="search", summary="Rechercher acteurs, initiatives, fiches et ressources")
def search(request: HttpRequest, filters: Query[_filters_schema()]):
    """Words are all required; "phrase", -exclusion, prefix*. Snippets are HTML where only <mark> is markup.
    Facet filters repeat (`themes=a&themes=b` = a or b); `territory=level:code` includes what lies below;
    `near=lat,lon&radius=km`; `sort=relevance|recency|distance`. Unknown values give 422."""
    try:
        params = SearchParams.from_query_dict(request.GET)
    except InvalidSearch as exc:
        raise HttpError(422, str(exc)) from None
    results = search_run(request.user, params, autocomplete=filters.autocomplete, with_facets=filters.facets)
    labels = facet_labels() if filters.facets else {}
    kinds = indexed_kinds()
    return {
        "count": results.total, "estimated": results.estimated, "limit": params.limit, "offset": params.offset,
        "suggestion": results.suggestion,
        "hits": [{"id": h.doc_id, "kind": h.kind, "title": h.title, "url": h.url, "snippet": h.snippet,
                  "score": h.score, "distance_km": h.distance_km} for h in results.hits],
        "facets": {f: [{"value": v, "label": labels.get(f, {}).get(v, str(kinds[v].label) if f == "kind" and v in kinds
                                                                    else v), "count": n} for v, n in values]
                   for f, values in results.facets.items()},
    }


class SimilarOut(Schema):
    id: str
    kind: str
    title: str
    url: str
    reason: str


@router.get("/similar/{kind}/{object_id}", response=list[SimilarOut], url_name="search_similar",
            summary="Éléments similaires (initiatives similaires…), avec la raison")
def similar(request: HttpRequest, kind: str, object_id: int, limit: int = 5):
    """Close texts plus shared themes, SDGs and territory; only what the caller may see. 404 if the source
    is unknown or hidden from the caller."""
    from catalyse.core import permissions

    kinds = indexed_kinds()
    if kind not in kinds or not 1 <= limit <= 20:
        raise HttpError(422, "kind ou limit invalide")
    permissions.get_visible_or_404(request.user, kinds[kind].model._default_manager.all(), pk=object_id)
    hits = similar_items(request.user, kind, object_id, limit=limit)
    return [{"id": h.doc_id, "kind": h.kind, "title": h.title, "url": h.url, "reason": h.reason} for h in hits]
