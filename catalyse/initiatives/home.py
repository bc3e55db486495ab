"""The home page's blocks of the initiatives app (registered in apps.py through core's home block registry):
the network in figures, the latest and the most remarkable initiatives, the entry points by theme. What
every visitor sees: read as a visitor, so a member's drafts never show on the front door."""

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.urls import reverse

from catalyse.actors.home import organisation_figures

from .queries import InitiativeFilters, count_from_facets, initiative_facets_cached, initiatives_visible_to

CARDS = 3
# Placeholder covers are drawn in the colours of the initiative's themes (by theme position): dark tones on
# which the white icon keeps a 4.5:1 contrast.
THEME_COLOURS = ["#0b5e7a", "#7a3b8f", "#1f6f43", "#a3400b", "#6b5a00", "#24527a", "#8f2d56", "#3d5a1e"]


def _facets() -> dict:
    return initiative_facets_cached(AnonymousUser(), InitiativeFilters(), "")


def figures(request) -> dict:
    return {
        **organisation_figures(),
        "initiatives": count_from_facets(_facets(), InitiativeFilters()),
        "initiatives_url": reverse("initiatives:list"),
    }


def _cards(initiatives) -> list[dict]:
    cards = []
    for initiative in initiatives:
        themes = list(initiative.themes.all())
        colours = [THEME_COLOURS[t.position % len(THEME_COLOURS)] for t in themes[:3]] or [THEME_COLOURS[0]]
        cards.append({"initiative": initiative, "themes": themes, "colours": colours})
    return cards


def showcase(request) -> dict | None:
    """The latest published initiatives, and the most remarkable: the widest alliances (most partner
    organisations), then the most recently updated."""
    public = initiatives_visible_to(AnonymousUser()).prefetch_related("themes", "sdgs", "territories")
    latest = list(public.order_by("-created_at", "-pk")[:CARDS])
    if not latest:
        return None
    remarkable = list(
        public.exclude(pk__in=[i.pk for i in latest])
        .annotate(partners=Count("partnerships", filter=Q(partnerships__left_on__isnull=True)))
        .filter(partners__gt=0)
        .order_by("-partners", "-updated_at", "-pk")[:CARDS]
    )
    return {"latest": _cards(latest), "remarkable": _cards(remarkable), "list_url": reverse("initiatives:list")}


def themes(request) -> dict | None:
    """Every theme that has public initiatives, with their number: entry points into the bank."""
    bank = reverse("initiatives:list")
    rows = [
        {"label": label, "count": n, "url": f"{bank}?{urlencode({'theme': code})}"}
        for code, label, n in _facets()["theme"]
        if n
    ]
    return {"themes": rows} if rows else None
