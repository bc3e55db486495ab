"""The home page's figures of organisations and its map block (registered in apps.py through core's home
block registry): what every visitor sees, read through the directory's and the statistics' cached queries."""

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _

from catalyse.territories.choropleth import choropleth_chart
from catalyse.territories.models import Kind, Level, Territory, Zone

from .queries import OrganisationFilters, network_stats, organisation_directory


def organisation_figures() -> dict:
    """Published organisations (all of them and the network's catalysts), by profile, and the territories
    they cover: the public figures, the same for everyone (a member's unpublished drafts are not the network)."""
    _rows, facets = organisation_directory(AnonymousUser(), OrganisationFilters())
    directory = reverse("actors:list")
    profiles = [
        {"code": code, "label": label, "count": n, "url": f"{directory}?{urlencode({'profil': code})}"}
        for code, label, n in facets["profile"]
        if n
    ]
    return {
        "catalysts": network_stats()["catalysts"],
        "organisations": sum(p["count"] for p in profiles),
        "profiles": profiles,
        "regions": sum(1 for *_place, n in facets["region"] if n),
        "departements": sum(1 for *_place, n in facets["departement"] if n),
        "directory_url": directory,
        "catalysts_url": f"{directory}?{urlencode({'catalyseur': '1'})}",
    }


def map_block(request) -> dict:
    """The map teaser: catalysts by région on the shipped outlines, and the régions as entry points (the
    overseas collectivités only when the network is there)."""
    counts = {r["code"]: r["count"] for r in network_stats()["regions"]}
    regions = [
        r
        for r in Territory.objects.filter(level=Level.REGION, kind=Kind.CURRENT).order_by("name")
        if r.zone != Zone.COM or counts.get(r.code)
    ]
    return {
        "chart": choropleth_chart(
            None, Level.REGION, counts, title=_("Catalyseurs du réseau par région"), value_label=_("Catalyseurs")
        ),
        "regions": [{"name": r.name, "url": r.get_absolute_url(), "count": counts.get(r.code, 0)} for r in regions],
    }
