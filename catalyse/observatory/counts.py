"""Counts kept per territory: how many organisations and initiatives each territory holds (itself and below),
by audience, profile, trade, catalysts and theme — what the territory pages show, read in one indexed query
at every level instead of counting over a million rows (a région: 1.2 s of SQL).

An organisation counts once in every territory of the union of the ancestors (the territory itself, its commune
for a former commune, its EPCI, département and région) of its head office and of its action territories; an
initiative likewise for its territories. That is exactly the directory's and the bank's territory filter
(`Territory.descendants_q`), distinct by construction. Each object's share — its audience, those territories and
its [dimension, key] pairs — is kept in `Share`, so that a write replaces it (old share out, new share in) without
recounting the others, like the evaluation's network dashboard (`evaluation/results.py`).

Audiences follow the permission modules: an organisation is `public` when published, else `restricted`; an
initiative is `public` when published and public, `members` when published for members, else `restricted`.
Visitors read `public`, members `public` (+ `members` for initiatives) plus the restricted objects they are
close to (their organisations, the initiatives of which they are a partner or the creator: a few shares read by
id), animators everything.

Kept true by `shares_refresh` inside the transaction of every write that can change a share: through signals
(`signals.py`: saves, many-to-many changes and deletions of organisations and initiatives, the organisation
imports' batches), and `counts_rebuild` after bulk writes that send none (the generator, `generate --clear`;
`catalyse observatory_counts_rebuild`). A change of the referential (a commune joining another EPCI) needs a
rebuild too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Sum

from catalyse.actors.models import Membership, Organisation, PublicationStatus
from catalyse.core import permissions
from catalyse.core.imports import bulk_insert
from catalyse.initiatives.models import Initiative, Visibility
from catalyse.initiatives.permissions import partner_initiative_ids
from catalyse.territories.models import Level, Territory

from .models import Audience, Counted, Share, TerritoryCount

TOTAL = "total"
BATCH = 20_000

Key = tuple[str, str]  # (dimension, key)


# --- what one object adds ------------------------------------------------------------------------------------------

class Ancestry:
    """territory id → the ids of the territories whose subtree holds it (itself included), read on demand and
    kept: a rebuild reads each territory once."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[int, ...]] = {}

    def of(self, ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
        missing = sorted({i for i in ids if i is not None and i not in self._known})
        for start in range(0, len(missing), BATCH):
            chunk = missing[start:start + BATCH]
            for pk, *above in Territory.objects.filter(pk__in=chunk).values_list(
                    "pk", "parent_commune_id", "epci_id", "departement_id", "region_id"):
                self._known[pk] = tuple(dict.fromkeys([pk, *(a for a in above if a is not None)]))
        return self._known

    def preload(self) -> Ancestry:
        for pk, *above in Territory.objects.values_list(
                "pk", "parent_commune_id", "epci_id", "departement_id", "region_id").iterator(chunk_size=20_000):
            self._known[pk] = tuple(dict.fromkeys([pk, *(a for a in above if a is not None)]))
        return self


def _organisation_audience(status: str) -> str:
    return Audience.PUBLIC if status == PublicationStatus.PUBLISHED else Audience.RESTRICTED


def _initiative_audience(publication: str, visibility: str) -> str:
    if publication != PublicationStatus.PUBLISHED:
        return Audience.RESTRICTED
    return {Visibility.PUBLIC: Audience.PUBLIC, Visibility.MEMBERS: Audience.MEMBERS}.get(visibility,
                                                                                         Audience.RESTRICTED)


Shares = dict[int, tuple[str, tuple[int, ...], tuple[Key, ...]]]  # id → (audience, territories, keys)


def _where(ids: list[int] | range, column: str) -> dict:
    """A filter on `column` for these ids: a range for the rebuild's consecutive slices, else an IN list."""
    if isinstance(ids, range):
        return {f"{column}__gte": ids.start, f"{column}__lt": ids.stop}
    return {f"{column}__in": ids}


def _places(through, column: str, ids, ancestry: Ancestry, heads: dict[int, int | None]) -> dict[int, set[int]]:
    places: dict[int, set[int]] = defaultdict(set)
    links = list(through.objects.filter(**_where(ids, column)).values_list(column, "territory_id"))
    known = ancestry.of({t for _, t in links} | set(heads.values()))
    for pk, head in heads.items():
        if head is not None:
            places[pk].update(known.get(head, ()))
    for pk, territory in links:
        places[pk].update(known.get(territory, ()))
    return places


def organisation_shares(ids: list[int] | range, ancestry: Ancestry | None = None) -> Shares:
    ancestry = ancestry or Ancestry()
    rows = list(Organisation.objects.filter(**_where(ids, "pk")).values_list(
        "pk", "status", "profile", "is_catalyst", "head_office_id"))
    places = _places(Organisation.territories.through, "organisation_id", ids, ancestry,
                     {pk: head for pk, *_, head in rows})
    trades: dict[int, list[Key]] = defaultdict(list)
    for pk, trade in Organisation.trades.through.objects.filter(**_where(ids, "organisation_id")).values_list(
            "organisation_id", "trade_id"):
        trades[pk].append(("trade", str(trade)))
    shares = {}
    for pk, status, profile, is_catalyst, _head in rows:
        keys = [(TOTAL, ""), ("profile", profile), *(([("catalyst", "")]) if is_catalyst else []), *trades[pk]]
        shares[pk] = (_organisation_audience(status), tuple(sorted(places[pk])), tuple(sorted(set(keys))))
    return shares


def initiative_shares(ids: list[int] | range, ancestry: Ancestry | None = None) -> Shares:
    ancestry = ancestry or Ancestry()
    rows = list(Initiative.objects.filter(**_where(ids, "pk")).values_list("pk", "publication", "visibility"))
    places = _places(Initiative.territories.through, "initiative_id", ids, ancestry, {pk: None for pk, *_ in rows})
    themes: dict[int, list[Key]] = defaultdict(list)
    for pk, theme in Initiative.themes.through.objects.filter(**_where(ids, "initiative_id")).values_list(
            "initiative_id", "theme_id"):
        themes[pk].append(("theme", str(theme)))
    return {pk: (_initiative_audience(publication, visibility), tuple(sorted(places[pk])),
                 tuple(sorted({(TOTAL, ""), *themes[pk]})))
            for pk, publication, visibility in rows}


SHARES = {Counted.ORGANISATION: organisation_shares, Counted.INITIATIVE: initiative_shares}
MODELS = {Counted.ORGANISATION: Organisation, Counted.INITIATIVE: Initiative}


# --- writing --------------------------------------------------------------------------------------------------------

Delta = Counter  # (territory, audience, dimension, key) → change


def _add(delta: Delta, audience: str, territories: Iterable[int], keys: Iterable, sign: int) -> None:
    for territory in territories:
        for dimension, key in keys:
            delta[(territory, audience, dimension, key)] += sign


def _apply(kind: str, delta: Delta) -> None:
    """Add the changes to the counts: one upsert that increments in the database (concurrent writers of other
    objects add up), rows in a fixed order (two writers never wait on each other crosswise)."""
    rows = [(territory, kind, audience, dimension, key, n)
            for (territory, audience, dimension, key), n in sorted(delta.items()) if n]
    if not rows:
        return
    quote = connection.ops.quote_name
    table, key_, count_ = quote(TerritoryCount._meta.db_table), quote("key"), quote("count")
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (territory_id, kind, audience, dimension, {key_}, {count_}) "  # noqa: S608
            f"VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (territory_id, kind, audience, dimension, {key_}) "
            f"DO UPDATE SET {count_} = {table}.{count_} + excluded.{count_}", rows)


def encode(territories: tuple[int, ...], keys: tuple[Key, ...]) -> tuple[str, str]:
    """A share's territories and keys as `Share` stores them."""
    return " ".join(map(str, territories)), " ".join(f"{d}:{k}" for d, k in keys)


def decode(territories: str, keys: str) -> tuple[tuple[int, ...], tuple[Key, ...]]:
    return tuple(map(int, territories.split())), tuple(tuple(pair.split(":", 1)) for pair in keys.split())


@transaction.atomic
def shares_refresh(kind: str, *, ids: Iterable[int]) -> None:
    """Replace these objects' shares of the counts by what their data says now (a deleted object's share is
    taken back)."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH):
        _refresh(kind, ids[start:start + BATCH])


def _refresh(kind: str, ids: list[int]) -> None:
    # Locked in a fixed order: two writers of one object must not both take back the same old share.
    old = {object_id: (audience, *decode(territories, keys)) for object_id, audience, territories, keys in
           Share.objects.select_for_update().filter(kind=kind, object_id__in=ids).order_by("object_id")
           .values_list("object_id", "audience", "territories", "keys")}
    new = SHARES[kind](ids)
    changed = [pk for pk in ids if old.get(pk) != new.get(pk)]
    if not changed:
        return
    delta: Delta = Counter()
    for pk in changed:
        if pk in old:
            _add(delta, old[pk][0], old[pk][1], old[pk][2], -1)
        if pk in new:
            _add(delta, new[pk][0], new[pk][1], new[pk][2], +1)
    Share.objects.filter(kind=kind, object_id__in=[pk for pk in changed if pk in old]).delete()
    bulk_insert(Share, [dict(zip(("kind", "object_id", "audience", "territories", "keys"),
                                 (kind, pk, new[pk][0], *encode(new[pk][1], new[pk][2])), strict=True))
                         for pk in changed if pk in new])
    _apply(kind, delta)


@transaction.atomic
def counts_rebuild(kinds: Iterable[str] = (Counted.ORGANISATION, Counted.INITIATIVE), *,
                   batch: int = BATCH) -> dict[str, int]:
    """Recompute every share and count from the data (after bulk writes that send no signal); returns the
    number of objects counted per kind."""
    ancestry = Ancestry().preload()
    done = {}
    for kind in kinds:
        Share.objects.filter(kind=kind).delete()
        TerritoryCount.objects.filter(kind=kind).delete()
        model = MODELS[kind]
        # Counted per (audience, territories, key) first: objects of one commune share their territories, so the
        # expansion over territories runs once per distinct combination rather than once per object.
        grouped: Counter = Counter()
        encoded: dict = {}
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        written = 0
        for start in range(0, last + 1, batch):
            shares = SHARES[kind](range(start, start + batch), ancestry)
            rows = []
            for pk, (audience, places, keys) in shares.items():
                # Objects of one commune share their territories and often their keys: each text made once.
                text = encoded.get((places, keys))
                if text is None:
                    if len(encoded) > 100_000:
                        encoded.clear()  # bounded memory
                    text = encoded[(places, keys)] = encode(places, keys)
                rows.append({"kind": kind, "object_id": pk, "audience": audience, "territories": text[0],
                             "keys": text[1]})
            bulk_insert(Share, rows)
            for audience, places, keys in shares.values():
                for key in keys:
                    grouped[(audience, places, key)] += 1
            written += len(shares)
        totals: Counter = Counter()
        for (audience, places, (dimension, key)), n in grouped.items():
            for territory in places:
                totals[(territory, audience, dimension, key)] += n
        bulk_insert(TerritoryCount, [{"territory_id": t, "kind": kind, "audience": a, "dimension": d, "key": k,
                                      "count": n} for (t, a, d, k), n in sorted(totals.items())])
        done[kind] = written
    return done


# --- reading --------------------------------------------------------------------------------------------------------

def close_ids(user, kind: str) -> list[int]:
    """The restricted objects a member (not an animator) may see nonetheless: their organisations, the
    initiatives of which they are a partner or the creator (initiatives.permissions)."""
    if kind == Counted.ORGANISATION:
        ids = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
        ids |= set(Organisation.objects.filter(created_by=user).values_list("pk", flat=True))
    else:
        ids = set(partner_initiative_ids(user).values_list("initiative_id", flat=True))
        ids |= set(Initiative.objects.filter(created_by=user).values_list("pk", flat=True))
    return sorted(ids)


def audiences_of(user, kind: str) -> list[str]:
    if permissions.is_animator(user):
        return list(Audience.values)
    if permissions.is_member(user) and kind == Counted.INITIATIVE:
        return [Audience.PUBLIC, Audience.MEMBERS]
    return [Audience.PUBLIC]


def _close_shares(user, kind: str) -> list[tuple[int, tuple[int, ...], tuple[Key, ...]]]:
    """(id, territories, keys) of the restricted objects a member (not an animator) is close to."""
    if not permissions.is_member(user) or permissions.is_animator(user):
        return []
    return [(pk, *decode(territories, keys)) for pk, territories, keys in Share.objects.filter(
        kind=kind, object_id__in=close_ids(user, kind), audience=Audience.RESTRICTED).values_list(
        "object_id", "territories", "keys")]


def close_inside(user, kind: str, territory: Territory) -> list[int]:
    """The restricted objects of `kind` in the territory that `user` may see as a member close to them."""
    return [pk for pk, places, _keys in _close_shares(user, kind) if territory.pk in places]


def territory_counts(user, kind: str, territory: Territory) -> Counter:
    """(dimension, key) → the number of objects of `kind` that `user` may see in the territory and below it."""
    counts: Counter = Counter()
    for dimension, key, n in TerritoryCount.objects.filter(
            territory=territory, kind=kind, audience__in=audiences_of(user, kind)).values_list(
            "dimension", "key", "count"):
        counts[(dimension, key)] += n
    for _pk, places, keys in _close_shares(user, kind):
        if territory.pk in places:
            for dimension, key in keys:
                counts[(dimension, key)] += 1
    return +counts


def totals(user, kind: str, territories: list[Territory]) -> dict[int, int]:
    """territory id → objects of `kind` that `user` may see there, for several territories in one query."""
    found: Counter = Counter()
    for territory, n in TerritoryCount.objects.filter(
            territory__in=territories, kind=kind, audience__in=audiences_of(user, kind), dimension=TOTAL,
            key="").values_list("territory_id", "count"):
        found[territory] += n
    wanted = {t.pk for t in territories}
    for _pk, places, _keys in _close_shares(user, kind):
        for territory in wanted.intersection(places):
            found[territory] += 1
    return found


def network_size(user, kind: str) -> int:
    """About how many objects of `kind` the network holds for this reader: the régions' totals added up (an
    object acting in two régions counts twice; one placed nowhere, not at all). Enough to choose a query plan."""
    return TerritoryCount.objects.filter(territory__level=Level.REGION, kind=kind, audience__in=audiences_of(
        user, kind), dimension=TOTAL, key="").aggregate(n=Sum("count"))["n"] or 0


def by(counts: Counter, dimension: str) -> dict[str, int]:
    return {key: n for (d, key), n in counts.items() if d == dimension}
