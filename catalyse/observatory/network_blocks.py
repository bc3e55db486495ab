"""The "organisations of this territory" and "initiatives of this territory" blocks of territory pages
(registered from blocks.py): counts read from the counts kept per territory (`counts.py`), one indexed query at
every level, for whoever reads; a few names and the latest initiatives read through the directory's and the
bank's permission filters."""

from urllib.parse import urlencode

from django.urls import reverse

from catalyse.actors.models import Organisation, Profile, PublicationStatus, Trade
from catalyse.actors.queries import OrganisationFilters, organisations_for
from catalyse.core import permissions
from catalyse.initiatives.models import Theme
from catalyse.initiatives.queries import InitiativeFilters, initiatives_for
from catalyse.territories.models import Territory

from . import counts as kept
from .models import Counted

SOME = 8
LATEST = 5
# Catalysts first, by name; ties by head office and id: the order of the index the walk reads, to the end.
NAMES_ORDER = ("-is_catalyst", "name", "head_office", "pk")
WALK_MIN, WALK_MAX = 64, 5_000  # rows read at a time when walking the network in the list's order
WALK_LIMIT = 100_000  # rows walked before giving up for the plain query


def organisations_block(request, territory: Territory) -> dict:
    """Organisations this visitor may see whose head office is in the territory or below it, or that act
    there (the directory's territory filter): counts by profile and trade, the catalysts among them."""
    counts = kept.territory_counts(request.user, Counted.ORGANISATION, territory)
    by_profile, by_trade = kept.by(counts, "profile"), kept.by(counts, "trade")
    directory = reverse("actors:list") + "?" + urlencode({"territoire": territory.key})
    total = counts[(kept.TOTAL, "")]
    return {
        "total": total,
        "catalysts": counts[("catalyst", "")],
        "by_profile": [(label, by_profile[value], f"{directory}&{urlencode({'profil': value})}")
                       for value, label in Profile.choices if by_profile.get(value)],
        "by_trade": [(trade.name, by_trade[str(trade.pk)], f"{directory}&{urlencode({'metier': trade.code})}")
                     for trade in Trade.objects.order_by("position", "name") if by_trade.get(str(trade.pk))],
        "some": _some_organisations(request.user, territory, total) if total else [],
        "directory_url": directory,
        "map_url": reverse("map") + "?" + urlencode({"territoire": territory.key, "catalyseur": ""}),
    }


def _some_organisations(user, territory: Territory, total: int) -> list[Organisation]:
    """A few names, catalysts first, by name: the directory link gives the rest.

    A small territory's organisations are gathered through the head-office and action indexes and sorted. A large
    one's are not (a région: 160,000 rows sorted, 1.1 s): the network is walked in that order instead, along the
    (status, catalyst, name) index, until SOME of them are found in the territory — about SOME × network / total
    rows, a few hundred for a région. The counts say which way costs less (total² against SOME × network)."""
    fields = ("name", "slug", "is_catalyst")
    network = kept.network_size(user, Counted.ORGANISATION)
    if total * total <= SOME * network:
        found = organisations_for(user, OrganisationFilters(territory=territory))
        return list(found.order_by(*NAMES_ORDER).only(*fields)[:SOME])
    below_q = Territory.objects.filter(territory.descendants_q()).values("pk")
    below = {row["pk"] for row in below_q}

    def inside(rows: list[tuple[int, int | None]]) -> set[int]:
        hits = {pk for pk, head in rows if head in below}
        hits.update(Organisation.territories.through.objects.filter(
            organisation_id__in=[pk for pk, head in rows if pk not in hits], territory_id__in=below_q,
        ).values_list("organisation_id", flat=True))
        return hits

    chunk = min(WALK_MAX, max(WALK_MIN, 2 * SOME * network // total))
    statuses = PublicationStatus.values if permissions.is_animator(user) else [PublicationStatus.PUBLISHED]
    ids = []
    for status in statuses:
        ordered = Organisation.objects.filter(status=status).order_by(*NAMES_ORDER)
        walked = _walk(ordered.values_list("pk", "head_office"), inside, chunk)
        if walked is None:  # the counts misled the walk (an unusual territory): the plain query
            found = organisations_for(user, OrganisationFilters(territory=territory))
            return list(found.order_by(*NAMES_ORDER).only(*fields)[:SOME])
        ids += walked
    if permissions.is_member(user) and not permissions.is_animator(user):
        close = kept.close_ids(user, Counted.ORGANISATION)
        ids += Organisation.objects.filter(pk__in=close).exclude(status=PublicationStatus.PUBLISHED).filter(
            OrganisationFilters(territory=territory).conditions()).values_list("pk", flat=True)
    found = Organisation.objects.filter(pk__in=ids).order_by(*NAMES_ORDER).only(*fields)
    return list(found[:SOME])


def _walk(rows, inside, chunk: int) -> list[int] | None:
    """The first SOME ids of `rows` (an ordered queryset of (id, …) tuples) that `inside` keeps, read `chunk` rows
    at a time; None past WALK_LIMIT rows."""
    found: list[int] = []
    for offset in range(0, WALK_LIMIT, chunk):
        page = list(rows[offset:offset + chunk])
        kept_ids = inside(page)
        found += [row[0] for row in page if row[0] in kept_ids]
        if len(found) >= SOME or len(page) < chunk:
            return found[:SOME]
    return None


def initiatives_block(request, territory: Territory) -> dict:
    """Initiatives this visitor may see that concern the territory or a territory below it (the bank's
    territory filter): counts by theme and the latest updated."""
    counts = kept.territory_counts(request.user, Counted.INITIATIVE, territory)
    by_theme = kept.by(counts, "theme")
    bank = reverse("initiatives:list") + "?" + urlencode({"territoire": territory.key})
    total = counts[(kept.TOTAL, "")]
    return {
        "total": total,
        "by_theme": [(theme.name, by_theme[str(theme.pk)], f"{bank}&{urlencode({'theme': theme.code})}")
                     for theme in Theme.objects.order_by("position", "name") if by_theme.get(str(theme.pk))],
        "latest": _latest_initiatives(request.user, territory) if total else [],
        "bank_url": bank,
    }


def _latest_initiatives(user, territory: Territory) -> list:
    found = initiatives_for(user, InitiativeFilters(territory=territory))
    return list(found.order_by("-updated_at").only("title", "slug", "summary", "updated_at")[:LATEST])
