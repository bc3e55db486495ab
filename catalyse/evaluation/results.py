"""The network dashboard (/evaluation/): published results of every initiative the viewer may see, aggregated by
impact family, partners' profile, territory typology and theme.

Counting indicators across 100,000 initiatives at each request is too slow, so the counts are pre-aggregated in
`ResultCount` per audience (who may see the initiative); each initiative's share is kept in `InitiativeResults`
so that a write replaces it (old share out, new share in) without recounting the others. Every write that can
change a share calls `initiative_results_refresh`: the evaluation services (indicator created or changed,
measurement approved) and, through signals, the writes of the initiatives app (visibility, publication, themes,
territories, partners) that this app cannot call into.

An indicator's status here is its status at its latest approved measurement (what the alliance last reported):
a published result changes with a write, not with the passing days.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from catalyse.actors.models import Profile, PublicationStatus
from catalyse.core import charts, permissions
from catalyse.initiatives.models import Initiative, InitiativeProfile, Theme, Visibility
from catalyse.initiatives.permissions import partner_initiative_ids
from catalyse.territories.models import Typology

from .dashboards import STATUS_LABELS
from .models import (
    Audience,
    ImpactFamily,
    Indicator,
    IndicatorVersion,
    InitiativeResults,
    Measurement,
    MeasurementStatus,
    ResultCount,
)
from .queries import Status, progress_from

DIMENSIONS = ["family", "profile", "typology", "theme"]
STATUSES = [Status.AHEAD, Status.ON_TRACK, Status.BEHIND, Status.NO_DATA]
TOTAL, INITIATIVES = "total", "initiatives"


class _Approved(NamedTuple):
    """What progress_from reads of a measurement."""

    value: Decimal | None
    level: int | None
    period_end: date


def _audience(publication: str, visibility: str) -> str:
    if publication != PublicationStatus.PUBLISHED:
        return Audience.RESTRICTED
    return {Visibility.PUBLIC: Audience.PUBLIC, Visibility.MEMBERS: Audience.MEMBERS}.get(visibility,
                                                                                         Audience.RESTRICTED)


def _shares(initiative_ids: list[int]) -> dict[int, tuple[str, list]]:
    """Each initiative's audience and contribution rows, in a fixed number of queries for the whole list."""
    audiences = {pk: _audience(publication, visibility) for pk, publication, visibility in
                 Initiative.objects.filter(pk__in=initiative_ids).values_list("pk", "publication", "visibility")}
    indicators = list(Indicator.objects.filter(initiative_id__in=initiative_ids, is_public=True)
                      .values_list("pk", "initiative_id", "impact_family", "current_version"))
    ids = [row[0] for row in indicators]
    versions = {(v.indicator_id, v.number): v for v in IndicatorVersion.objects.filter(indicator_id__in=ids)}
    approved: dict[int, list] = defaultdict(list)
    # Plain rows, not model instances: a batch of the generator reads tens of thousands.
    for indicator_id, value, level, period_end in (
            Measurement.objects.filter(indicator_id__in=ids, status=MeasurementStatus.APPROVED)
            .order_by("indicator_id", "period_end", "period_start", "pk")
            .values_list("indicator_id", "value", "level", "period_end")):
        approved[indicator_id].append(_Approved(value, level, period_end))
    axes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for initiative_id, profile in InitiativeProfile.objects.filter(initiative_id__in=initiative_ids).values_list(
            "initiative_id", "profile"):
        axes[initiative_id].append(("profile", profile))
    typologies = set(Initiative.territories.through.objects.filter(initiative_id__in=initiative_ids).values_list(
        "initiative_id", "territory__typology_override", "territory__typology_computed"))
    for initiative_id, override, computed in typologies:
        if override or computed:
            axes[initiative_id].append(("typology", override or computed))
    for initiative_id, code in Initiative.themes.through.objects.filter(initiative_id__in=initiative_ids).values_list(
            "initiative_id", "theme__code"):
        axes[initiative_id].append(("theme", code))
    counts: dict[int, Counter] = defaultdict(Counter)
    for pk, initiative_id, family, number in indicators:
        measurements = approved[pk]
        status = (progress_from(versions[(pk, number)], measurements, measurements[-1].period_end).status
                  if measurements else Status.NO_DATA)
        for dimension, key in [(TOTAL, ""), ("family", family), *sorted(set(axes[initiative_id]))]:
            counts[initiative_id][(dimension, key, status)] += 1
    shares = {}
    for initiative_id in initiative_ids:
        rows = [[d, k, s, n] for (d, k, s), n in sorted(counts[initiative_id].items())]
        if rows:
            rows.append([INITIATIVES, "", "", 1])
        shares[initiative_id] = (audiences.get(initiative_id, Audience.RESTRICTED), rows)
    return shares


def _add(delta: Counter, audience: str, rows, sign: int) -> None:
    for dimension, key, status, n in rows:
        delta[(audience, dimension, key, status)] += sign * n


def _apply(delta: Counter) -> None:
    delta = Counter({key: n for key, n in delta.items() if n})
    if not delta:
        return
    existing = set(ResultCount.objects.filter(audience__in={k[0] for k in delta}, dimension__in={k[1] for k in delta})
                   .values_list("audience", "dimension", "key", "status"))
    # Increments in the database (F), not read-modify-write: concurrent writers of other initiatives add up.
    for (audience, dimension, key, status), n in sorted(delta.items()):
        if (audience, dimension, key, status) in existing:
            ResultCount.objects.filter(audience=audience, dimension=dimension, key=key,
                                       status=status).update(count=F("count") + n)
    ResultCount.objects.bulk_create([ResultCount(audience=a, dimension=d, key=k, status=s, count=n)
                                     for (a, d, k, s), n in sorted(delta.items()) if (a, d, k, s) not in existing])


@transaction.atomic
def initiative_results_refresh(*, initiative_ids: Iterable[int]) -> None:
    """Replace these initiatives' shares of the network dashboard by what their data says now."""
    initiative_ids = sorted(set(initiative_ids))
    if not initiative_ids:
        return
    # Locked in a fixed order: two writers of one initiative must not both take back the same old share.
    old = {r.initiative_id: r for r in InitiativeResults.objects.select_for_update()
           .filter(initiative_id__in=initiative_ids).order_by("pk")}
    delta: Counter = Counter()
    existing = set(Initiative.objects.filter(pk__in=initiative_ids).values_list("pk", flat=True))
    for previous in old.values():
        _add(delta, previous.audience, previous.contributions, -1)
    InitiativeResults.objects.filter(initiative_id__in=list(old)).delete()
    fresh = []
    for initiative_id, (audience, rows) in _shares([i for i in initiative_ids if i in existing]).items():
        _add(delta, audience, rows, +1)
        if rows:
            fresh.append(InitiativeResults(initiative_id=initiative_id, audience=audience, contributions=rows))
    InitiativeResults.objects.bulk_create(fresh)
    _apply(delta)


@transaction.atomic
def initiative_results_remove(*, initiative_id: int) -> None:
    """Take a deleted initiative's share back (called before the delete cascades)."""
    previous = InitiativeResults.objects.select_for_update().filter(initiative_id=initiative_id).first()
    if previous is not None:
        delta: Counter = Counter()
        _add(delta, previous.audience, previous.contributions, -1)
        previous.delete()
        _apply(delta)


@transaction.atomic
def results_rebuild(*, batch: int = 2_000) -> int:
    """Recompute every share and count from the data (after bulk writes that send no signal); returns the
    number of initiatives with published indicators."""
    InitiativeResults.objects.all().delete()
    ResultCount.objects.all().delete()
    total: Counter = Counter()
    ids = list(Indicator.objects.filter(is_public=True).order_by("initiative_id")
               .values_list("initiative_id", flat=True).distinct())
    written = 0
    for start in range(0, len(ids), batch):
        shares = _shares(ids[start:start + batch])
        InitiativeResults.objects.bulk_create(InitiativeResults(initiative_id=pk, audience=audience,
                                                                contributions=rows)
                                              for pk, (audience, rows) in shares.items() if rows)
        for audience, rows in shares.values():
            _add(total, audience, rows, +1)
            written += bool(rows)
    ResultCount.objects.bulk_create(ResultCount(audience=a, dimension=d, key=k, status=s, count=n)
                                    for (a, d, k, s), n in total.items() if n)
    return written


# Reading ------------------------------------------------------------------------------------------------------------

@dataclass
class NetworkResults:
    initiatives: int
    indicators: int
    by_status: dict[str, int]
    tables: list[tuple[str, str, list[tuple[str, dict[str, int]]]]]  # (dimension, title, [(label, {status: n})])
    charts: list[charts.Chart]


def _counts(user) -> Counter:
    """(dimension, key, status) → published indicators of the initiatives `user` may see."""
    counts: Counter = Counter()
    if permissions.is_animator(user):
        audiences = list(Audience.values)
    elif permissions.is_member(user):
        audiences = [Audience.PUBLIC, Audience.MEMBERS]
        # Partners-only or unpublished initiatives: a member sees those of which they are a partner or the
        # creator (initiatives.permissions), a few rows read one by one.
        # Their ids first (a few, through the user's indexes), then the shares by primary key: as one query
        # SQLite scanned every restricted share (400 ms at 100,000 initiatives).
        mine = set(partner_initiative_ids(user).values_list("initiative_id", flat=True))
        mine |= set(Initiative.objects.filter(created_by=user).values_list("pk", flat=True))
        for rows in InitiativeResults.objects.filter(initiative_id__in=sorted(mine),
                                                     audience=Audience.RESTRICTED).values_list(
                "contributions", flat=True):
            for dimension, key, status, n in rows:
                counts[(dimension, key, status)] += n
    else:
        audiences = [Audience.PUBLIC]
    for dimension, key, status, n in (ResultCount.objects.filter(audience__in=audiences)
                                      .values_list("dimension", "key", "status").annotate(n=Sum("count"))
                                      .values_list("dimension", "key", "status", "n").order_by()):
        counts[(dimension, key, status)] += n
    return counts


def network_summary(user) -> tuple[int, dict[str, int]]:
    """The first figures of network_results() without its charts (the home page's block): initiatives with
    published indicators, and their published indicators by trajectory."""
    counts = _counts(user)
    return counts[(INITIATIVES, "", "")], {s: counts[(TOTAL, "", s)] for s in STATUSES}


def network_results(user) -> NetworkResults:
    counts = _counts(user)
    labels = {
        "family": dict(ImpactFamily.choices), "profile": dict(Profile.choices), "typology": dict(Typology.choices),
        "theme": dict(Theme.objects.values_list("code", "name")),
    }
    titles = {"family": _("Par famille d'impact"), "profile": _("Par profil des partenaires"),
              "typology": _("Par typologie du territoire"), "theme": _("Par thème")}
    order = {"family": list(ImpactFamily.values), "profile": list(Profile.values), "typology": list(Typology.values),
             "theme": list(Theme.objects.values_list("code", flat=True))}
    tables, chart_list = [], []
    for dimension in DIMENSIONS:
        keys = {k for (d, k, _s), n in counts.items() if d == dimension and n}
        keys = [k for k in order[dimension] if k in keys] + sorted(keys - set(order[dimension]))
        rows = [(str(labels[dimension].get(k, k)), {s: counts[(dimension, k, s)] for s in STATUSES}) for k in keys]
        tables.append((dimension, titles[dimension], rows))
        chart_list.append(charts.grouped_bar_chart(
            _("Indicateurs publiés %(axis)s, selon leur trajectoire") % {"axis": str(titles[dimension]).lower()},
            [label for label, _c in rows],
            [charts.Series(str(STATUS_LABELS[s]), [c[s] for _l, c in rows]) for s in STATUSES], stacked=True))
    by_status = {s: counts[(TOTAL, "", s)] for s in STATUSES}
    return NetworkResults(initiatives=counts[(INITIATIVES, "", "")], indicators=sum(by_status.values()),
                          by_status=by_status, tables=tables, charts=chart_list)
