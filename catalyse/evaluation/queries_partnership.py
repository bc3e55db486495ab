"""Reads of the partnership's own evaluation (part 2): mobilisation over time and cooperation maturity.

The computations take rows already filtered by the permission module (a visitor's rows are the published ones),
so every channel computes from what its reader may see.

Mobilisation
- A partner's *lane*: the intervals during which the organisation was in (from `joined`/`returned` to `left`,
  open-ended while still in; a history starting with `left` or `role_changed` was in from the log's origin),
  its dated events, and its engagement levels per period. Events about a person representing it are marks on
  the lane: people change, the organisation stays.
- *Present on a day*: an interval contains the day; the day of leaving is no longer in.
- *Turnover of a year*: departures (`left` of organisations) in the year / the mean of the partners present on
  1 January and on 31 December; `None` when that mean is 0. Arrivals are `joined` and `returned`.
- *Engaged* in a period: a level of at least 3 (contributing) on the 5-level scale; per period also the count
  at each level, the engaged by profile, the number of distinct profiles engaged and Simpson's diversity
  1 − Σ pᵢ² over the profiles of the engaged partners (0: all alike; closer to 1: more varied).

Maturity (per wave and axis, over the respondents' levels): n, mean, min, max, spread = population standard
deviation, consensus = max − min ≤ 1. The alliance's figures pool every respondent; a partner's pool its own.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from catalyse.core import permissions
from catalyse.initiatives.models import Initiative

from .models import (
    EngagementLevel,
    EventKind,
    EventSubject,
    MaturityQuestionnaire,
    MaturityResponse,
    MaturityWave,
    MobilisationEvent,
)

ENGAGED_FROM = 3  # "contributing" and above
CONSENSUS_RANGE = 1


def _axis(code: str, label: str, *levels: str) -> dict:
    return {"code": code, "label": label, "levels": list(levels)}


# A neutral default; each alliance may rewrite it (services_partnership.maturity_questionnaire_set).
DEFAULT_MATURITY_AXES = [
    _axis("connaissance", "Connaissance mutuelle",
          "Nous connaissons à peine les métiers, les contraintes et les ressources des autres partenaires.",
          "Nous savons qui fait quoi, mais pas encore comment chacun travaille ni ce qui le contraint.",
          "Nous comprenons les contraintes et les intérêts de chacun et en tenons compte dans nos choix.",
          "Chacun sait mobiliser les compétences des autres et peut présenter le projet de ses partenaires."),
    _axis("langage", "Langage commun",
          "Chacun emploie son propre vocabulaire ; les malentendus sont fréquents.",
          "Nous avons repéré les mots qui nous séparent et les clarifions au cas par cas.",
          "Nous partageons les notions clés de l'alliance ; leurs définitions sont écrites.",
          "Notre langage commun est approprié par tous et nous sert à parler de l'alliance au dehors."),
    _axis("confiance", "Confiance",
          "Nous restons prudents : les informations sensibles ne circulent pas.",
          "Nous tenons nos engagements réciproques, mais les désaccords restent tus.",
          "Nous exprimons nos désaccords et les traitons ensemble sans crainte.",
          "Nous prenons des risques les uns pour les autres et partageons difficultés comme réussites."),
    _axis("gouvernance", "Gouvernance partagée",
          "Un ou deux partenaires décident et informent les autres.",
          "Les autres partenaires sont consultés avant les décisions importantes.",
          "Les décisions importantes se prennent ensemble, selon des règles connues de tous.",
          "Les rôles tournent, chacun peut porter une décision et les règles évoluent avec l'alliance."),
    _axis("ressources", "Mise en commun des ressources",
          "Chacun finance et équipe ses propres actions.",
          "Nous nous prêtons ponctuellement des moyens (salles, outils, temps de travail).",
          "Des moyens sont mis en commun pour des actions décidées ensemble.",
          "Nous cherchons et gérons des financements communs et partageons nos données."),
    _axis("apprentissage", "Apprentissage collectif",
          "Nous ne prenons pas le temps de revenir sur ce que nous faisons.",
          "Nous faisons des bilans, mais ils changent peu nos pratiques.",
          "Nos bilans communs conduisent à des ajustements décidés ensemble.",
          "Nous apprenons les uns des autres en continu et nos pratiques changent au-delà de l'alliance."),
]


def questionnaire_axes(initiative: Initiative) -> list[dict]:
    axes = MaturityQuestionnaire.objects.filter(initiative=initiative).values_list("axes", flat=True).first()
    return axes or [dict(axis, levels=list(axis["levels"])) for axis in DEFAULT_MATURITY_AXES]


# Mobilisation ------------------------------------------------------------------------------------------------------

@dataclass
class Lane:
    organisation_id: int
    name: str
    profile: str
    intervals: list[tuple[date, date | None]] = field(default_factory=list)  # end excluded; None: still in
    events: list = field(default_factory=list)  # MobilisationEvent rows, by date
    levels: list = field(default_factory=list)  # EngagementLevel rows, by period

    def present_on(self, day: date) -> bool:
        return any(start <= day and (end is None or day < end) for start, end in self.intervals)


def mobilisation_lanes(events: Iterable, levels: Iterable, *, origin: date) -> list[Lane]:
    """One lane per partner organisation (rows need `concerns` loaded), ordered by first date then name."""
    lanes: dict[int, Lane] = {}

    def lane_of(row) -> Lane:
        org = row.concerns
        if org.pk not in lanes:
            lanes[org.pk] = Lane(org.pk, org.name, org.profile)
        return lanes[org.pk]

    for event in sorted(events, key=lambda e: (e.happened_on, e.pk)):
        lane = lane_of(event)
        lane.events.append(event)
        if event.subject != EventSubject.ORGANISATION:
            continue
        open_since = lane.intervals[-1][0] if lane.intervals and lane.intervals[-1][1] is None else None
        if event.kind in (EventKind.JOINED, EventKind.RETURNED) and open_since is None:
            lane.intervals.append((event.happened_on, None))
        elif event.kind == EventKind.LEFT:
            if open_since is not None:
                lane.intervals[-1] = (open_since, event.happened_on)
            elif not lane.intervals:  # in from the start of the log
                lane.intervals.append((min(origin, event.happened_on), event.happened_on))
        elif event.kind == EventKind.ROLE_CHANGED and open_since is None and not lane.intervals:
            lane.intervals.append((min(origin, event.happened_on), None))
    for level in sorted(levels, key=lambda row: (row.period_start, row.pk)):
        lane_of(level).levels.append(level)

    def first_date(lane: Lane) -> date:
        dates = [e.happened_on for e in lane.events] + [lv.period_start for lv in lane.levels]
        return min(dates)

    return sorted(lanes.values(), key=lambda lane: (first_date(lane), lane.name))


@dataclass(frozen=True)
class YearTurnover:
    year: int
    present_at_start: int
    present_at_end: int
    arrivals: int
    departures: int
    rate: float | None


def turnover_by_year(lanes: Sequence[Lane], years: Iterable[int]) -> list[YearTurnover]:
    out = []
    for year in years:
        first, last = date(year, 1, 1), date(year, 12, 31)
        at_start = sum(lane.present_on(first) for lane in lanes)
        at_end = sum(lane.present_on(last) for lane in lanes)
        kinds = Counter(e.kind for lane in lanes for e in lane.events
                        if e.subject == EventSubject.ORGANISATION and e.happened_on.year == year)
        mean = (at_start + at_end) / 2
        departures = kinds[EventKind.LEFT]
        out.append(YearTurnover(year, at_start, at_end, kinds[EventKind.JOINED] + kinds[EventKind.RETURNED],
                                departures, departures / mean if mean else None))
    return out


def departures(lanes: Sequence[Lane]) -> list:
    """Who left and why: organisations and the people representing them, by date."""
    return sorted((e for lane in lanes for e in lane.events if e.kind == EventKind.LEFT),
                  key=lambda e: (e.happened_on, e.pk))


@dataclass(frozen=True)
class PeriodEngagement:
    start: date
    end: date
    partners: int  # with a level recorded
    engaged: int  # level >= ENGAGED_FROM
    by_level: dict[int, int]
    engaged_by_profile: dict[str, int]
    profiles: int  # distinct profiles among the engaged
    diversity: float | None  # Simpson 1 − Σ p², None without anyone engaged


def engagement_by_period(levels: Iterable, profiles: dict[int, str]) -> list[PeriodEngagement]:
    """Per recorded period (distinct start and end), from EngagementLevel rows; `profiles` maps organisation ids
    to their profile."""
    periods: dict[tuple[date, date], list] = defaultdict(list)
    for row in levels:
        periods[(row.period_start, row.period_end)].append(row)
    out = []
    for (start, end), rows in sorted(periods.items()):
        engaged = [row for row in rows if row.level >= ENGAGED_FROM]
        by_profile = Counter(profiles.get(row.concerns_id, "") for row in engaged)
        total = len(engaged)
        out.append(PeriodEngagement(
            start, end, len(rows), total, {n: sum(row.level == n for row in rows) for n in range(1, 6)},
            dict(sorted(by_profile.items())), len(by_profile),
            1 - sum((k / total) ** 2 for k in by_profile.values()) if total else None))
    return out


# Maturity ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AxisStats:
    code: str
    label: str
    n: int
    mean: float | None
    min: int | None
    max: int | None
    spread: float | None  # population standard deviation
    consensus: bool | None  # max − min <= 1

    def as_dict(self) -> dict:
        return {"axis": self.code, "label": self.label, "n": self.n,
                "mean": None if self.mean is None else round(self.mean, 4), "min": self.min, "max": self.max,
                "spread": None if self.spread is None else round(self.spread, 4), "consensus": self.consensus}


def axis_stats(axes: Sequence[dict], answers: Iterable[dict]) -> list[AxisStats]:
    """Per axis, over answer dicts {code: level}; an axis nobody answered has n = 0 and no figures."""
    answers = list(answers)
    out = []
    for axis in axes:
        values = [a[axis["code"]] for a in answers if a.get(axis["code"]) is not None]
        if not values:
            out.append(AxisStats(axis["code"], axis["label"], 0, None, None, None, None, None))
            continue
        low, high = min(values), max(values)
        out.append(AxisStats(axis["code"], axis["label"], len(values), statistics.fmean(values), low, high,
                             statistics.pstdev(values), high - low <= CONSENSUS_RANGE))
    return out


@dataclass
class WaveResults:
    wave: object
    alliance: list[AxisStats]
    by_partner: list[tuple[object, list[AxisStats]]]  # (organisation, stats), by name
    respondents: int


def wave_results(wave, responses: Iterable) -> WaveResults:
    """The wave's figures from its responses (rows with `organisation` loaded)."""
    responses = list(responses)
    by_org: dict[int, list] = defaultdict(list)
    orgs = {}
    for response in responses:
        by_org[response.organisation_id].append(response.answers)
        orgs[response.organisation_id] = response.organisation
    partners = sorted(orgs.values(), key=lambda org: org.name)
    return WaveResults(wave, axis_stats(wave.axes, [r.answers for r in responses]),
                       [(org, axis_stats(wave.axes, by_org[org.pk])) for org in partners], len(responses))


def wave_change(before: Sequence[AxisStats], after: Sequence[AxisStats]) -> dict[str, float | None]:
    """Change of the mean per axis code between two waves (after − before); None when either has no answer."""
    old = {s.code: s.mean for s in before}
    return {s.code: None if s.mean is None or old.get(s.code) is None else s.mean - old[s.code] for s in after}


# What a person sees -----------------------------------------------------------------------------------------------

def events_visible(user, initiative: Initiative):
    return permissions.visible_queryset(user, MobilisationEvent.objects.filter(initiative=initiative)
                                        ).select_related("concerns").prefetch_related("evidence").order_by(
        "happened_on", "pk")


def levels_visible(user, initiative: Initiative):
    return permissions.visible_queryset(user, EngagementLevel.objects.filter(initiative=initiative)
                                        ).select_related("concerns").prefetch_related("evidence").order_by(
        "period_start", "concerns__name", "pk")


@dataclass
class MobilisationOverview:
    origin: date
    until: date
    events: list
    levels: list
    lanes: list[Lane]
    periods: list[PeriodEngagement]
    turnover: list[YearTurnover]
    departures: list


def mobilisation_overview(user, initiative: Initiative, *, today: date | None = None) -> MobilisationOverview:
    events, levels = list(events_visible(user, initiative)), list(levels_visible(user, initiative))
    dates = [e.happened_on for e in events] + [lv.period_start for lv in levels]
    today = today or date.today()
    # The log starts with its first entry (an initiative may be much older than its log).
    origin = min(dates) if dates else (initiative.start_date or today)
    until = max([today, *dates, *(lv.period_end for lv in levels)])
    lanes = mobilisation_lanes(events, levels, origin=origin)
    profiles = {row.concerns_id: row.concerns.profile for row in levels}
    return MobilisationOverview(origin, until, events, levels, lanes, engagement_by_period(levels, profiles),
                                turnover_by_year(lanes, range(origin.year, until.year + 1)), departures(lanes))


def waves_visible(user, initiative: Initiative):
    return permissions.visible_queryset(user, MaturityWave.objects.filter(initiative=initiative)
                                        ).order_by("held_on", "pk")


def maturity_overview(user, initiative: Initiative) -> list[tuple[WaveResults, dict[str, float | None] | None]]:
    """Each wave the person may see with its figures, and the change of the means since the previous one."""
    waves = list(waves_visible(user, initiative))
    responses = defaultdict(list)
    for response in MaturityResponse.objects.filter(wave__in=waves).select_related("organisation"):
        responses[response.wave_id].append(response)
    out, previous = [], None
    for wave in waves:
        results = wave_results(wave, responses[wave.pk])
        out.append((results, wave_change(previous.alliance, results.alliance) if previous else None))
        previous = results
    return out
