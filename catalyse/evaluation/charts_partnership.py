"""The charts of the mobilisation and maturity pages, built with core/charts (SVG + data table)."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalyse.actors.models import Profile
from catalyse.core import charts

from .models import EngagementScale, EventKind, EventSubject
from .queries_partnership import ENGAGED_FROM, AxisStats, MobilisationOverview, WaveResults

# Darker as engagement grows; every colour keeps 3:1 against white and the level is written inside.
LEVEL_COLOURS = {1: "#767676", 2: "#00796b", 3: "#1f5fa8", 4: "#6a1b9a", 5: "#1a237e"}
PRESENCE = "#37474f"
MARKS = {  # kind → (symbol, colour)
    EventKind.INVITED: ("circle", "#5d4037"),
    EventKind.JOINED: ("triangle", "#2e7d32"),
    EventKind.LEFT: ("cross", "#c62828"),
    EventKind.RETURNED: ("triangle", "#1f5fa8"),
    EventKind.ROLE_CHANGED: ("diamond", "#8e24aa"),
}
PERSON_MARK = ("square", "#b34700")


def _day(value) -> str:
    return date_format(value, "j M Y")


def _event_label(event) -> str:
    who = f"{event.person_function} : " if event.subject == EventSubject.PERSON else ""
    text = f"{who}{event.get_kind_display().lower()} le {_day(event.happened_on)}"
    if event.role:
        text += f" ({event.get_role_display().lower()})"
    return text + (f" — {event.reason}" if event.reason else "")


def mobilisation_timeline(overview: MobilisationOverview) -> charts.Chart:
    lanes = []
    for lane in overview.lanes:
        segments = [charts.Segment(start, end or overview.until, PRESENCE,
                                   _("présent du %(start)s au %(end)s") % {
                                       "start": _day(start), "end": _day(end) if end else _("aujourd'hui")},
                                   thin=True) for start, end in lane.intervals]
        segments += [charts.Segment(lv.period_start, lv.period_end, LEVEL_COLOURS[lv.level],
                                    _("niveau %(level)s du %(start)s au %(end)s") % {
                                        "level": lv.level, "start": _day(lv.period_start),
                                        "end": _day(lv.period_end)}, text=str(lv.level)) for lv in lane.levels]
        marks = []
        for event in lane.events:
            symbol, colour = PERSON_MARK if event.subject == EventSubject.PERSON else MARKS[event.kind]
            marks.append(charts.Mark(event.happened_on, symbol, _event_label(event), colour))
        lanes.append(charts.Lane(lane.name, segments, marks))
    legend = [("bar", PRESENCE, _("présent (trait fin)")),
              *[(symbol, colour, EventKind(kind).label) for kind, (symbol, colour) in MARKS.items()],
              (PERSON_MARK[0], PERSON_MARK[1], _("une personne qui le représente")),
              *[("bar", LEVEL_COLOURS[n], label) for n, label in EngagementScale.choices]]
    return charts.lane_chart(_("Frise de la mobilisation, un couloir par partenaire"), lanes,
                             start=overview.origin, end=overview.until, legend=legend)


def period_label(start, end) -> str:
    """"2024" for a calendar year, "S1 2024" for a half-year, "T3 2024" for a quarter, else the two dates."""
    if start.year == end.year and start.day == 1 and (end + datetime.timedelta(days=1)).day == 1:
        months = (start.month, end.month)
        if months == (1, 12):
            return str(start.year)
        if months in ((1, 6), (7, 12)):
            return f"S{1 if start.month == 1 else 2} {start.year}"
        if end.month - start.month == 2 and start.month % 3 == 1:
            return f"T{start.month // 3 + 1} {start.year}"
    return f"{_day(start)} – {_day(end)}"


def engaged_by_profile(overview: MobilisationOverview) -> charts.Chart:
    profiles = sorted({p for period in overview.periods for p in period.engaged_by_profile})
    labels = dict(Profile.choices)
    categories = [period_label(p.start, p.end) for p in overview.periods]
    series = [charts.Series(str(labels.get(profile, profile)),
                            [period.engaged_by_profile.get(profile, 0) for period in overview.periods])
              for profile in profiles]
    return charts.grouped_bar_chart(
        _("Partenaires engagés (niveau %(level)s ou plus) par période et par profil") % {"level": ENGAGED_FROM},
        categories, series, stacked=True)


def _series(name: str, stats: list[AxisStats]) -> charts.Series:
    return charts.Series(name, [s.mean for s in stats], low=[s.min for s in stats], high=[s.max for s in stats])


def _levels(results: WaveResults) -> int:
    return max((len(axis["levels"]) for axis in results.wave.axes), default=4)


def maturity_radar(results: WaveResults, title: str, stats: list[AxisStats]) -> charts.Chart:
    """Mean per axis with the band from the lowest to the highest answer: never the average alone."""
    answered = [s for s in stats if s.n]
    description = _("Moyenne des réponses par axe ; la bande va de la réponse la plus basse à la plus haute.") + " " + \
        " ".join(f"{s.label} : {charts.fmt(s.mean)} (de {s.min} à {s.max}"
                 f"{', consensus' if s.consensus else ', désaccord'})." for s in answered)
    return charts.radar_chart(title, [s.label for s in answered], [_series(_("Moyenne"), answered)],
                              maximum=_levels(results), description=description)


def maturity_change(before: WaveResults, after: WaveResults) -> charts.Chart:
    codes = {s.code for s in before.alliance if s.n} & {s.code for s in after.alliance if s.n}
    first = [s for s in before.alliance if s.code in codes]
    second = [s for s in after.alliance if s.code in codes]
    return charts.radar_chart(
        _("Évolution de « %(before)s » à « %(after)s »") % {"before": before.wave.title, "after": after.wave.title},
        [s.label for s in second], [_series(before.wave.title, first), _series(after.wave.title, second)],
        maximum=_levels(after))
