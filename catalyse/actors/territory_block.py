"""The "organisations of this territory" block of territory pages (registered in apps.py)."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from catalyse.core.cache_version import cached_for_audience, visitors_audience
from catalyse.territories.models import Territory

from . import browse_cache
from .models import Organisation, Profile, Trade
from .queries import OrganisationFilters, organisations_for

SOME = 8


def organisations_block(request, territory: Territory) -> dict:
    """Organisations this visitor may see whose head office is in the territory or below it, or that act
    there (the directory's territory filter): counts by profile and trade, the catalysts among them."""
    found = organisations_for(request.user, OrganisationFilters(territory=territory))
    # A région holds a fifth of a million organisations: visitors share the counts (and which names come
    # first) for a minute under the directory's data version; the names are read fresh by id.
    counts = cached_for_audience(browse_cache.DIRECTORY_VERSION, "actors:territory-block", territory.key,
                                 lambda: _counts(found), audience=visitors_audience(request.user),
                                 seconds=browse_cache.SECONDS)
    by_profile, trade_counts = counts["by_profile"], counts["by_trade"]
    some = {o.pk: o for o in found.filter(pk__in=counts["some"]).only("name", "slug", "is_catalyst")}
    directory = reverse("actors:list") + "?" + urlencode({"territoire": territory.key})
    return {
        "total": sum(by_profile.values()),
        "catalysts": counts["catalysts"],
        "by_profile": [(label, by_profile[value], f"{directory}&{urlencode({'profil': value})}")
                       for value, label in Profile.choices if by_profile.get(value)],
        "by_trade": [(trade.name, trade_counts[trade.pk], f"{directory}&{urlencode({'metier': trade.code})}")
                     for trade in Trade.objects.order_by("position", "name") if trade_counts.get(trade.pk)],
        "some": [some[pk] for pk in counts["some"] if pk in some],
        "directory_url": directory,
        "map_url": reverse("map") + "?" + urlencode({"territoire": territory.key, "catalyseur": ""}),
    }


def _counts(found) -> dict:
    ids = found.values("pk")
    return {
        "by_profile": dict(found.values_list("profile").annotate(n=Count("pk")).order_by()),
        "by_trade": dict(Organisation.trades.through.objects.filter(organisation_id__in=ids).values_list("trade_id")
                         .annotate(n=Count("organisation_id", distinct=True)).order_by()),
        "catalysts": found.filter(is_catalyst=True).count(),
        # A few names, catalysts first: the directory link gives the rest.
        "some": list(found.order_by("-is_catalyst", "name").values_list("pk", flat=True)[:SOME]),
    }
