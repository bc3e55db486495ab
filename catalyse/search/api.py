"""GET /api/v1/search — the same search as /recherche/, as JSON."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from .documents import indexed_kinds
from .queries import InvalidSearch, SearchParams, facet_labels, search_run

router = Router(tags=["recherche"])


class HitOut(Schema):
    id: str
    kind: str
    title: str
    url: str
    snippet: str
    score: float
    distance_km: float | None = None


class FacetValue(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    count: int
    limit: int
    offset: int
    suggestion: str | None
    hits: list[HitOut]
    facets: dict[str, list[FacetValue]]


class SearchFilters(Schema):
    q: str = ""
    kind: list[str] = []
    profile: list[str] = []
    trades: list[str] = []
    themes: list[str] = []
    sdgs: list[str] = []
    stage: list[str] = []
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


@router.get("", response=SearchOut, url_name="search", summary="Rechercher acteurs, initiatives, fiches et ressources")
def search(request: HttpRequest, filters: Query[SearchFilters]):
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
        "count": results.total, "limit": params.limit, "offset": params.offset, "suggestion": results.suggestion,
        "hits": [{"id": h.doc_id, "kind": h.kind, "title": h.title, "url": h.url, "snippet": h.snippet,
                  "score": h.score, "distance_km": h.distance_km} for h in results.hits],
        "facets": {f: [{"value": v, "label": labels.get(f, {}).get(v, kinds[v].label if f == "kind" and v in kinds
                                                                    else v), "count": n} for v, n in values]
                   for f, values in results.facets.items()},
    }
