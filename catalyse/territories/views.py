import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import outlines
from .blocks import territory_blocks
from .keys import parse_territory_key
from .models import Level
from .queries import epci_departements, territories_search_tolerant, territory_children, territory_get, territory_totals


def territory_search(request):
    q = request.GET.get("q", "").strip()
    found, corrected = territories_search_tolerant(q) if q else (None, "")
    page = Paginator(found, 30).get_page(request.GET.get("page")) if q else None
    return render(request, "territories/search.html", {"q": q, "page": page, "corrected": corrected})


def territory_detail(request, level: str, code: str):
    territory = territory_get(level, code) if level in Level.values else None
    if territory is None:
        raise Http404("Territoire introuvable")
    return render(request, "territories/detail.html", {
        "territory": territory,
        "children": territory_children(territory),
        "totals": territory_totals(territory),
        "epci_departements": epci_departements(territory) if level == Level.EPCI else None,
        "outline": _outline_map(territory),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        # What the other apps show about this territory (organisations, initiatives…), see blocks.py.
        "blocks": territory_blocks(request, territory) if territory.is_current else [],
    })


def _outline_map(territory) -> dict | None:
    """What the page's map script fetches to draw this territory's outline (None: no outline to draw)."""
    if not territory.is_current or outlines.outline(territory.level, territory.code) is None:
        return None
    parent = "" if territory.level in (Level.REGION, Level.DEPARTEMENT) else f"departement:{territory.departement_code}"
    return {"level": territory.level, "code": territory.code, "parent": parent}


def territory_outlines_base(request):
    """The prefix the map scripts append `<level>.json` to (named so that templates can reverse it)."""
    raise Http404("Précisez le niveau : /territoires/contours/<niveau>.json")


@require_GET
@cache_control(public=True, max_age=86400)
def territory_outlines(request, level: str):
    """GeoJSON outlines of the territories of `level` inside `?parent=level:code` (all of France without it;
    communes need a parent). The outlines change only with a release: cached a day by browsers and proxies."""
    if level not in Level.values:
        return JsonResponse({"detail": f"Niveau inconnu : « {level} »."}, status=404)
    key = request.GET.get("parent", "").strip()
    parent = None
    if key:
        parsed = parse_territory_key(key, default_level="")
        parent = territory_get(*parsed) if parsed else None
        if parent is None:
            return JsonResponse({"detail": f"Territoire parent introuvable : « {key} »."}, status=404)
    elif level == Level.COMMUNE:
        return JsonResponse({"detail": "Les contours des communes se demandent par territoire parent "
                                       "(?parent=departement:62 par exemple)."}, status=400)
    body = _outlines_body(level, parent.level if parent else "", parent.code if parent else "")
    return HttpResponse(body, content_type="application/geo+json")


def _outlines_body(level: str, parent_level: str, parent_code: str) -> bytes:
    cached = _OUTLINES_CACHE.get((level, parent_level, parent_code))
    if cached is None:
        parent = territory_get(parent_level, parent_code) if parent_level else None
        collection = outlines.geojson(outlines.children_outlines(parent, level))
        cached = json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        if len(_OUTLINES_CACHE) > 512:  # bounded: the answers are at most a few hundred kilobytes each
            _OUTLINES_CACHE.clear()
        _OUTLINES_CACHE[(level, parent_level, parent_code)] = cached
    return cached


_OUTLINES_CACHE: dict[tuple[str, str, str], bytes] = {}
