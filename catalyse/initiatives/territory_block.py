"""The "initiatives of this territory" block of territory pages (registered in apps.py)."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from catalyse.territories.models import Territory

from .models import Initiative, Theme
from .queries import InitiativeFilters, initiatives_for

LATEST = 5


def initiatives_block(request, territory: Territory) -> dict:
    """Initiatives this visitor may see that concern the territory or a territory below it (the bank's
    territory filter): counts by theme and the latest updated."""
    found = initiatives_for(request.user, InitiativeFilters(territory=territory))
    ids = found.values("pk")
    theme_counts = dict(
        Initiative.themes.through.objects.filter(initiative_id__in=ids)
        .values_list("theme_id").annotate(n=Count("initiative_id", distinct=True)).order_by()
    )
    bank = reverse("initiatives:list") + "?" + urlencode({"territoire": territory.key})
    return {
        "total": found.count(),
        "by_theme": [(theme.name, theme_counts[theme.pk], f"{bank}&{urlencode({'theme': theme.code})}")
                     for theme in Theme.objects.order_by("position", "name") if theme_counts.get(theme.pk)],
        "latest": list(found.order_by("-updated_at").only("title", "slug", "summary", "updated_at")[:LATEST]),
        "bank_url": bank,
    }
