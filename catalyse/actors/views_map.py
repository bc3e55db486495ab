"""The map page: server clusters on a Leaflet map, and a département choropleth that needs no script."""

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse

from catalyse.territories.models import Kind, Level, Territory

from .choropleth import choropleth
from .models import Profile, Scope, Trade
from .queries import OrganisationFilters, departement_counts

FILTER_KEYS = ("q", "profil", "metier", "perimetre", "region", "departement", "typologie", "territoire", "catalyseur")


def organisation_map(request):
    # With no parameters at all the map shows the network's catalysts; the form always sends `catalyseur`.
    params = request.GET if request.GET else QueryDict("catalyseur=1")
    filters = OrganisationFilters.from_params(params)
    kept = {k: params.getlist(k) for k in FILTER_KEYS if any(params.getlist(k))}
    links_keep = {k: v for k, v in kept.items() if k != "departement"}
    return render(request, "actors/map.html", {
        "filters": filters,
        "filter_query": _encode(kept),
        "choropleth": choropleth(departement_counts(request.user, filters), links_keep),
        "profiles": Profile.choices,
        "profile_labels": {value: str(label) for value, label in Profile.choices},
        "scopes": Scope.choices,
        "trades": Trade.objects.all(),
        "regions": Territory.objects.filter(level=Level.REGION, kind=Kind.CURRENT).order_by("name"),
        # Région names at their centre give bearings on the plain background (no tiles offline).
        "places": list(Territory.objects.filter(level=Level.REGION, kind=Kind.CURRENT, latitude__isnull=False)
                       .values("name", "latitude", "longitude")),
        "endpoint": reverse("api:map_organisations"),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    })


def _encode(params: dict[str, list[str]]) -> str:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    return query.urlencode()
