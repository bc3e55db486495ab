"""The "organisations of this territory" and "initiatives of this territory" blocks of territory pages
(registered from blocks.py): counts read from the counts kept per territory (`counts.py`), one indexed query at
every level, for whoever reads; a few names and the latest initiatives found without sorting a large territory's
rows (`_first`), then read through the directory's and the bank's permission filters."""

from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse

from catalyse.actors.models import Organisation, Profile, PublicationStatus, Trade
from catalyse.actors.queries import OrganisationFilters, organisations_for
from catalyse.core import permissions
from catalyse.initiatives.models import Initiative, Theme, Visibility
from catalyse.initiatives.queries import InitiativeFilters, initiatives_for
from catalyse.territories.models import Territory

from . import counts as kept
from .models import Counted

SOME = 8
LATEST = 5
# Catalysts first, by name; ties by head office and id: the order of the index the walk reads, to the end.
NAMES_ORDER = ("-is_catalyst", "name", "head_office_id", "pk")
LATEST_ORDER = ("-updated_at", "pk")  # the (publication, visibility, updated) index's order
WALK_MIN, WALK_MAX = 64, 5_000  # rows read at a time when walking the network in the list's order
WALK_LIMIT = 100_000  # rows walked before running the plain query instead
GATHER_MAX = 20_000  # ids gathered and passed as parameters, at most


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
    """A few names, catalysts first, by name: the directory link gives the rest."""
    below = _Below(territory)

    def gather() -> list[int]:
        heads = Organisation.objects.filter(head_office__in=below.query).values_list("pk", flat=True)
        acting = Organisation.territories.through.objects.filter(territory_id__in=below.query).values_list(
            "organisation_id", flat=True)
        return sorted(set(heads) | set(acting))

    def inside(rows: list[tuple]) -> set[int]:
        hits = {pk for pk, head in rows if head in below.ids}
        hits.update(Organisation.territories.through.objects.filter(
            organisation_id__in=[pk for pk, _head in rows if pk not in hits], territory_id__in=below.query,
        ).values_list("organisation_id", flat=True))
        return hits

    statuses = PublicationStatus.values if permissions.is_animator(user) else [PublicationStatus.PUBLISHED]
    ids = _first(SOME, total, kept.network_size(user, Counted.ORGANISATION), gather, inside, [
        Organisation.objects.filter(status=status).order_by(*NAMES_ORDER).values_list("pk", "head_office")
        for status in statuses])
    if ids is None:  # the plain query
        found = organisations_for(user, OrganisationFilters(territory=territory))
    else:
        ids += kept.close_inside(user, Counted.ORGANISATION, territory)
        found = organisations_for(user, OrganisationFilters()).filter(pk__in=ids)
    return list(found.order_by(*NAMES_ORDER).only("name", "slug", "is_catalyst")[:SOME])


def _latest_initiatives(user, territory: Territory, total: int) -> list[Initiative]:
    """The latest updated, walked along the (publication, visibility, updated) index in large territories."""
    below = _Below(territory)
    through = Initiative.territories.through

    def gather() -> list[int]:
        return sorted(set(through.objects.filter(territory_id__in=below.query).values_list(
            "initiative_id", flat=True)))

    def inside(rows: list[tuple]) -> set[int]:
        return set(through.objects.filter(initiative_id__in=[row[0] for row in rows],
                                          territory_id__in=below.query).values_list("initiative_id", flat=True))

    if permissions.is_animator(user):
        kinds = [(p, v) for p in PublicationStatus.values for v in Visibility.values]
    elif permissions.is_member(user):
        kinds = [(PublicationStatus.PUBLISHED, Visibility.PUBLIC), (PublicationStatus.PUBLISHED, Visibility.MEMBERS)]
    else:
        kinds = [(PublicationStatus.PUBLISHED, Visibility.PUBLIC)]
    ids = _first(LATEST, total, kept.network_size(user, Counted.INITIATIVE), gather, inside, [
        Initiative.objects.filter(publication=p, visibility=v).order_by(*LATEST_ORDER).values_list("pk")
        for p, v in kinds])
    if ids is None:  # the plain query
        found = initiatives_for(user, InitiativeFilters(territory=territory))
    else:
        ids += kept.close_inside(user, Counted.INITIATIVE, territory)
        found = initiatives_for(user, InitiativeFilters()).filter(pk__in=ids)
    return list(found.order_by(*LATEST_ORDER).only("title", "slug", "summary", "updated_at")[:LATEST])


class _Below:
    """The territory and every territory below it: as a subquery, and as a set of ids read once when needed."""

    def __init__(self, territory: Territory):
        self.query = Territory.objects.filter(territory.descendants_q()).order_by().values("pk")

    @cached_property
    def ids(self) -> set[int]:
        return {row["pk"] for row in self.query}


def _first(want: int, total: int, network: int, gather, inside, walks) -> list[int] | None:
    """The ids from which the first `want` of a territory's `total` objects are taken, in a list's order; None:
    run the plain query.

    A small territory's objects are gathered through the territory indexes (`gather`): at most a few thousand,
    sorted afterwards. A large one's are not — a région holds 160,000 organisations, 1.1 s to sort: each
    ordered index (`walks`, one per audience) is walked instead until `want` of its rows are `inside` the
    territory, about want × network / total rows, a few hundred. The counts say which way costs less: total²
    against want × network. The walks cover the audiences' own objects; the restricted ones a member is close to
    are added by the caller."""
    if total * total <= want * network:
        ids = gather()
        return ids if len(ids) <= GATHER_MAX else None
    chunk = min(WALK_MAX, max(WALK_MIN, 2 * want * network // max(total, 1)))
    ids: list[int] = []
    for rows in walks:
        found = _walk(rows, inside, chunk, want)
        if found is None:  # the counts misled the walk (an unusual territory)
            return None
        ids += found
    return ids


def _walk(rows, inside, chunk: int, want: int) -> list[int] | None:
    """The first `want` ids of `rows` (an ordered queryset of (id, …) tuples) that `inside` keeps, read `chunk`
    rows at a time; None past WALK_LIMIT rows."""
    found: list[int] = []
    for offset in range(0, WALK_LIMIT, chunk):
        page = list(rows[offset:offset + chunk])
        kept_ids = inside(page)
        found += [row[0] for row in page if row[0] in kept_ids]
        if len(found) >= want or len(page) < chunk:
            return found[:want]
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
        "latest": _latest_initiatives(request.user, territory, total) if total else [],
        "bank_url": bank,
    }

