from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .models import Level
from .queries import epci_departements, territories_search, territory_children, territory_get, territory_totals


def territory_search(request):
    q = request.GET.get("q", "").strip()
    page = Paginator(territories_search(q), 30).get_page(request.GET.get("page")) if q else None
    return render(request, "territories/search.html", {"q": q, "page": page})


def territory_detail(request, level: str, code: str):
    territory = territory_get(level, code) if level in Level.values else None
    if territory is None:
        raise Http404("Territoire introuvable")
    return render(request, "territories/detail.html", {
        "territory": territory,
        "children": territory_children(territory),
        "totals": territory_totals(territory),
        "epci_departements": epci_departements(territory) if level == Level.EPCI else None,
    })
