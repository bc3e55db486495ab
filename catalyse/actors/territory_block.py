"""The "organisations of this territory" block of territory pages (registered in apps.py)."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from catalyse.territories.models import Territory

from .models import Organisation, Profile, Trade
from .queries import OrganisationFilters, organisations_for

SOME = 8


def organisations_block(request, territory: Territory) -> dict:
    """Organisations this visitor may see whose head office is in the territory or below it, or that act
    there (the directory's territory filter): counts by profile and trade, the catalysts among them."""
    found = organisations_for(request.user, OrganisationFilters(territory=territory))
    ids = found.values("pk")
    by_profile = dict(found.values_list("profile").annotate(n=Count("pk")).order_by())
    trade_counts = dict(
        Organisation.trades.through.objects.filter(organisation_id__in=ids)
        .values_list("trade_id").annotate(n=Count("organisation_id", distinct=True)).order_by()
    )
    directory = reverse("actors:list") + "?" + urlencode({"territoire": territory.key})
    return {
        "total": sum(by_profile.values()),
        "catalysts": found.filter(is_catalyst=True).count(),
        "by_profile": [(label, by_profile[value], f"{directory}&{urlencode({'profil': value})}")
                       for value, label in Profile.choices if by_profile.get(value)],
        "by_trade": [(trade.name, trade_counts[trade.pk], f"{directory}&{urlencode({'metier': trade.code})}")
                     for trade in Trade.objects.order_by("position", "name") if trade_counts.get(trade.pk)],
        # A few names, catalysts first: the directory link gives the rest.
        "some": list(found.order_by("-is_catalyst", "name").only("name", "slug", "is_catalyst")[:SOME]),
        "directory_url": directory,
        "map_url": reverse("map") + "?" + urlencode({"territoire": territory.key, "catalyseur": ""}),
    }
