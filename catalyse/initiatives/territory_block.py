"""The "initiatives of this territory" block of territory pages (registered in apps.py)."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from catalyse.territories.models import Territory

from .models import Initiative, Theme
from .queries import InitiativeFilters, cached_for_audience, initiatives_for

LATEST = 5


def initiatives_block(request, territory: Territory) -> dict:
    """Initiatives this visitor may see that concern the territory or a territory below it (the bank's
    territory filter): counts by theme and the latest updated."""
    found = initiatives_for(request.user, InitiativeFilters(territory=territory))
    # Counts and which initiatives come first, shared by the same audience under the data version; titles
    # and summaries are read fresh by id.
    counts = cached_for_audience(request.user, f"territory-block|{territory.key}", lambda: _counts(found))
    theme_counts = counts["by_theme"]
    latest = {i.pk: i for i in found.filter(pk__in=counts["latest"]).only("title", "slug", "summary", "updated_at")}
    bank = reverse("initiatives:list") + "?" + urlencode({"territoire": territory.key})
    return {
        "total": counts["total"],
        "by_theme": [(theme.name, theme_counts[theme.pk], f"{bank}&{urlencode({'theme': theme.code})}")
                     for theme in Theme.objects.order_by("position", "name") if theme_counts.get(theme.pk)],
        "latest": [latest[pk] for pk in counts["latest"] if pk in latest],
        "bank_url": bank,
    }


def _counts(found) -> dict:
    return {
        "by_theme": dict(Initiative.themes.through.objects.filter(initiative_id__in=found.values("pk"))
                         .values_list("theme_id").annotate(n=Count("initiative_id", distinct=True)).order_by()),
        "total": found.count(),
        "latest": list(found.order_by("-updated_at").values_list("pk", flat=True)[:LATEST]),
    }
