"""Reads of part 2 of the evaluation: change paths with the status of their progress markers, expected vs
observed per actor over time, and the alliance scorecard.

Marker status rules:
- a marker's status at a date `on` is the status of its latest journal entry observed on or before `on`
  (the latest by observation date; for two entries of the same day, the one recorded last);
  without such an entry, `not_yet`;
- a later entry may say less than an earlier one (a change can be lost): the latest wins, it is not a maximum;
- only the entries `user` may see count, so that what a visitor reads agrees with the published journal.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet

from catalyse.core import permissions
from catalyse.initiatives.models import Initiative

from . import queries, queries_partnership
from .models import (
    ChangePath,
    ChangeVision,
    ConductRule,
    FatItem,
    ImpactFamily,
    Indicator,
    JournalEntry,
    MarkerLevel,
    MarkerStatus,
    ProgressMarker,
    SenseMakingSession,
    SroiEstimate,
)


def _visible(user, qs: QuerySet) -> QuerySet:
    return permissions.visible_queryset(user, qs)


def vision_visible(user, initiative: Initiative) -> ChangeVision | None:
    return _visible(user, ChangeVision.objects.filter(initiative=initiative)).first()


def journal_visible(user, path: ChangePath) -> QuerySet[JournalEntry]:
    return _visible(user, path.journal.all()).select_related("marker", "confirmed_by").prefetch_related(
        "evidence").order_by("observed_on", "pk")


def change_paths_visible(user, initiative: Initiative) -> list[ChangePath]:
    """The change paths `user` may see, each with `.markers_list`, `.entries` (the journal as `user` may see it)
    and `.status` {marker id: current status}."""
    paths = list(_visible(user, ChangePath.objects.filter(initiative=initiative)).select_related(
        "organisation").prefetch_related(Prefetch("markers", queryset=ProgressMarker.objects.order_by("position",
                                                                                                      "pk"))))
    entries = _visible(user, JournalEntry.objects.filter(path__in=paths)).select_related(
        "marker", "confirmed_by").prefetch_related("evidence").order_by("observed_on", "pk")
    by_path: dict[int, list[JournalEntry]] = {}
    for entry in entries:
        by_path.setdefault(entry.path_id, []).append(entry)
    for path in paths:
        path.markers_list = list(path.markers.all())
        path.entries = by_path.get(path.pk, [])
        path.status = marker_statuses(path.markers_list, path.entries)
    return paths


def marker_statuses(markers, entries, on: date | None = None) -> dict[int, str]:
    """{marker id: status at `on`} from journal `entries` (see the module's rules); `on` None: today's."""
    status = {marker.pk: MarkerStatus.NOT_YET.value for marker in markers}
    for entry in sorted(entries, key=lambda e: (e.observed_on, e.pk)):
        if entry.marker_id in status and (on is None or entry.observed_on <= on):
            status[entry.marker_id] = entry.status
    return status


def marker_status(marker: ProgressMarker, on: date | None = None) -> str:
    return marker_statuses([marker], marker.journal.all(), on)[marker.pk]


@dataclass
class LevelCount:
    level: str
    label: str
    total: int = 0
    fully: int = 0
    partly: int = 0

    @property
    def not_yet(self) -> int:
        return self.total - self.fully - self.partly


def level_counts(markers, status: dict[int, str]) -> list[LevelCount]:
    """Per level (expect, like, love): how many markers, and how many reached fully or partly."""
    counts = {level: LevelCount(level, label) for level, label in MarkerLevel.choices}
    for marker in markers:
        count = counts[marker.level]
        count.total += 1
        count.fully += status[marker.pk] == MarkerStatus.FULLY
        count.partly += status[marker.pk] == MarkerStatus.PARTLY
    return list(counts.values())


@dataclass
class TimelineRow:
    marker: ProgressMarker
    statuses: list[str]  # one per date of the timeline


@dataclass
class Timeline:
    """Expected vs observed for one actor: every marker (what is expected) and its observed status at the end of
    each year since the first journal entry, and today."""

    dates: list[date]
    rows: list[TimelineRow] = field(default_factory=list)


def path_timeline(path: ChangePath, on: date) -> Timeline:
    entries = getattr(path, "entries", None)
    entries = list(entries if entries is not None else path.journal.all())
    markers = getattr(path, "markers_list", None) or list(path.markers.all())
    first = min((e.observed_on for e in entries), default=on)
    dates = [date(year, 12, 31) for year in range(first.year, on.year)] + [on]
    timeline = Timeline(dates)
    by_date = [marker_statuses(markers, entries, day) for day in dates]
    timeline.rows = [TimelineRow(marker, [status[marker.pk] for status in by_date]) for marker in markers]
    return timeline


def fat_items_visible(user, initiative: Initiative) -> QuerySet[FatItem]:
    return _visible(user, FatItem.objects.filter(initiative=initiative)).select_related(
        "organisation", "about", "objective", "rule").order_by("organisation__name", "kind", "pk")


def conduct_rules_visible(user, initiative: Initiative) -> QuerySet[ConductRule]:
    return _visible(user, ConductRule.objects.filter(initiative=initiative))


def sessions_visible(user, initiative: Initiative) -> QuerySet[SenseMakingSession]:
    return _visible(user, SenseMakingSession.objects.filter(initiative=initiative)).prefetch_related(
        "participants", "indicators", "journal_entries__path__organisation", "disagreements__organisations",
        "decisions__indicator_versions__indicator").order_by("-held_on", "pk")


def sroi_estimates_visible(user, initiative: Initiative) -> QuerySet[SroiEstimate]:
    return _visible(user, SroiEstimate.objects.filter(initiative=initiative)).prefetch_related("outcomes")


# Scorecard ---------------------------------------------------------------------------------------------------------

@dataclass
class FamilyBlock:
    family: str
    label: str
    indicators: list[tuple[Indicator, queries.Progress]]

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(progress.status for _indicator, progress in self.indicators))


@dataclass
class PathBlock:
    path: ChangePath
    levels: list[LevelCount]


@dataclass
class Scorecard:
    on: date
    families: list[FamilyBlock]
    paths: list[PathBlock]
    sessions: int
    disagreements: int
    latest_sroi: SroiEstimate | None
    mobilisation: queries_partnership.MobilisationOverview
    maturity: tuple | None  # (latest WaveResults, change of the means since the previous wave or None)


def scorecard(user, initiative: Initiative, on: date) -> Scorecard:
    """One page for the alliance: the progress of its active indicators by impact family (performance,
    innovation, trust), its mobilisation and cooperation maturity, the status of its change paths, its
    sense-making and its latest SROI estimate — as `user` may see them."""
    indicators = queries.indicators_visible(user, initiative).filter(active=True)
    by_family: dict[str, list] = {family: [] for family in ImpactFamily.values}
    for indicator in indicators:
        by_family[indicator.impact_family].append((indicator, queries.indicator_progress(indicator, on)))
    families = [FamilyBlock(family, label, by_family[family]) for family, label in ImpactFamily.choices]
    paths = [PathBlock(path, level_counts(path.markers_list, marker_statuses(path.markers_list, path.entries, on)))
             for path in change_paths_visible(user, initiative)]
    sessions = sessions_visible(user, initiative)
    return Scorecard(on=on, families=families, paths=paths, sessions=sessions.count(),
                     disagreements=sum(s.disagreements.count() for s in sessions),
                     latest_sroi=sroi_estimates_visible(user, initiative).first(),
                     mobilisation=queries_partnership.mobilisation_overview(user, initiative, today=on),
                     maturity=(queries_partnership.maturity_overview(user, initiative) or [None])[-1])
