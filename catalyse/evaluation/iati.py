"""IATI 2.03 activity XML of initiatives and their results frameworks (https://iatistandard.org/en/iati-standard/203/).

One initiative is one `iati-activity`; its objectives are `result`s (impact, outcome or output by tier), their
indicators `indicator`s with a `baseline` and `period`s carrying the dated `target`s and the `actual` values of
APPROVED measurements only, each disaggregation an extra `actual` with its `dimension` (IATI 2.03 gives a
dimension a name and a category, not a value: the value is the actual's). Evidence items with a file or a link
become `document-link`s at the level they are attached to.

Only what `user` may see is written: the initiatives, partnerships, objectives, indicators, measurements and
evidence pass through `catalyse.core.permissions.visible_queryset`. The document is written one activity at a
time with `lxml.etree.xmlfile` and initiatives are read in chunks of `CHUNK`, so memory stays flat whatever
the selection's size.

Codes (IATI code lists): indicator measure 1 unit, 2 percentage, 4 ordinal (our scales are ordinal scales with
numbered levels; the level's label goes in the `comment`); result type 3 impact for the top tier, 2 outcome
for the next, 1 output below, 9 other for indicators attached to no objective; SDGs as `tag`s (vocabulary 2
goals, 3 targets) and an indicator's SDG target as its `reference` with vocabulary 9 (UN SDG indicators).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from lxml import etree

from catalyse.core.permissions import visible_queryset
from catalyse.initiatives.models import Initiative, Partnership, Role, Stage, Status

from .models import (
    Disaggregation,
    Evidence,
    Indicator,
    IndicatorVersion,
    Measure,
    Measurement,
    MeasurementStatus,
    Objective,
)

VERSION = "2.03"
# Initiatives read and written together: memory is bounded by one chunk's rows (a dozen queries per chunk).
CHUNK = 100
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

MEASURE = {Measure.NUMBER: "1", Measure.PERCENTAGE: "2", Measure.SCALE: "4"}
RESULT_IMPACT, RESULT_OUTCOME, RESULT_OUTPUT, RESULT_OTHER = "3", "2", "1", "9"
# OrganisationRole: 1 funding, 2 accountable, 4 implementing. Beneficiaries have no IATI role: not listed.
ORGANISATION_ROLE = {Role.PORTEUR: "2", Role.FINANCEUR: "1", Role.PARTENAIRE: "4", Role.CATALYSEUR: "4",
                     Role.EVALUATEUR: "4"}
# OrganisationType from our actor profiles.
ORGANISATION_TYPE = {"public": "15", "interet_general": "22", "entreprise": "70", "academique": "80",
                     "accompagnateur": "90", "reseau_national": "22"}
# ActivityStatus: 1 pipeline/identification, 2 implementation, 4 closed, 6 suspended.
ACTIVITY_DATE_ACTUAL_START, ACTIVITY_DATE_PLANNED_END, ACTIVITY_DATE_ACTUAL_END = "2", "3", "4"
TAG_SDG_GOAL, TAG_SDG_TARGET, INDICATOR_VOCABULARY_SDG = "2", "3", "9"
DOCUMENT_CATEGORY_RESULTS = "A08"  # "Results, outcomes and outputs"


def iati_export(user, initiatives: QuerySet[Initiative], *, base_url: str = "") -> Iterator[bytes]:
    """The `iati-activities` document of the `initiatives` `user` may see, as chunks of UTF-8 bytes.

    `base_url` (e.g. "https://catalyse.example") makes the links of evidence files absolute. An empty selection
    gives an `iati-activities` element without activity, which the schema rejects: callers answer 404 first."""
    out = _Chunks()
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        attributes = {"version": VERSION, "generated-datetime": _datetime(timezone.now())}
        with xf.element("iati-activities", attributes):
            for chunk in _chunks(visible_queryset(user, initiatives).order_by("pk")):
                for activity in _Loader(user, chunk, base_url).activities():
                    xf.write(activity, pretty_print=True)
                    # One activity's bytes at a time: a chunk's whole text would otherwise wait in memory.
                    xf.flush()
                    yield out.drain()
    yield out.drain()


def iati_response(request: HttpRequest, initiatives: QuerySet[Initiative], *, filename: str) -> StreamingHttpResponse:
    """`iati_export` for `request.user` as a streamed download (links made absolute on the request's host)."""
    chunks = iati_export(request.user, initiatives, base_url=request.build_absolute_uri("/"))
    response = StreamingHttpResponse(chunks, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def iati_identifier(initiative: Initiative) -> str:
    return f"{settings.CATALYSE_IATI_IDENTIFIER_PREFIX}{initiative.slug}"


class _Chunks:
    """A file-like object for `xmlfile` that hands back what was written since the last `drain()`."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def drain(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _chunks(initiatives: QuerySet[Initiative]) -> Iterator[list[Initiative]]:
    last = 0
    while chunk := list(initiatives.filter(pk__gt=last).prefetch_related("sdgs")[:CHUNK]):
        yield chunk
        last = chunk[-1].pk


class _Loader:
    """Everything a chunk of initiatives needs, read in a few queries, grouped by initiative."""

    def __init__(self, user, initiatives: list[Initiative], base_url: str) -> None:
        self.initiatives = initiatives
        self.base_url = base_url.rstrip("/")
        ids = [i.pk for i in initiatives]

        self.partnerships = _group(
            visible_queryset(user, Partnership.objects.filter(initiative__in=ids)).select_related("organisation")
            .order_by("initiative", "pk"), "initiative_id")
        self.objectives = _group(
            visible_queryset(user, Objective.objects.filter(initiative__in=ids)), "initiative_id")
        indicators = visible_queryset(user, Indicator.objects.filter(initiative__in=ids))
        self.versions_by_pk = {v.pk: v for v in IndicatorVersion.objects.filter(indicator__in=indicators.values("pk"))}
        self.versions = {(v.indicator_id, v.number): v for v in self.versions_by_pk.values()}
        # An indicator always has its current version; a half-written one is left out rather than made invalid.
        self.indicators = _group([i for i in indicators if (i.pk, i.current_version) in self.versions],
                                 "initiative_id")
        measurements = visible_queryset(
            user, Measurement.objects.filter(indicator__in=indicators.values("pk"), status=MeasurementStatus.APPROVED))
        # Measurements and their parts are most of the rows: only the fields written are read, as named tuples
        # (building model instances took half of the export's time).
        self.measurements = _group(measurements.order_by("indicator", "period_end", "pk").values_list(
            "pk", "indicator_id", "version_id", "period_start", "period_end", "value", "level", "comment", named=True),
            "indicator_id")
        self.disaggregations = _group(
            Disaggregation.objects.filter(measurement__in=measurements.values("pk"))
            .order_by("measurement", "dimension", "category")
            .values_list("measurement_id", "dimension", "category", "value", named=True), "measurement_id")
        self._evidence(user, ids)

    def _evidence(self, user, ids: list[int]) -> None:
        """Evidence with a file or a link, under each written item it is attached to; at the activity level
        when it is attached to none of them (to nothing, or only to what this reader may not see)."""
        evidence_qs = visible_queryset(user, Evidence.objects.filter(initiative__in=ids)).exclude(file="", url="")
        evidence = {e.pk: e for e in evidence_qs}
        written = {
            "indicator": {i.pk for group in self.indicators.values() for i in group},
            "measurement": {m.pk for group in self.measurements.values() for m in group},
            # A result needs an indicator: an objective without a written indicator is not written.
            "objective": {i.objective_id for group in self.indicators.values() for i in group}
            & {o.pk for group in self.objectives.values() for o in group},
        }
        self.evidence_by: dict[str, dict[int, list[Evidence]]] = {}
        attached: set[int] = set()
        for name, through in (("indicator", Evidence.indicators.through),
                              ("objective", Evidence.objectives.through),
                              ("measurement", Evidence.measurements.through)):
            grouped: dict[int, list[Evidence]] = defaultdict(list)
            for link in through.objects.filter(evidence__in=evidence_qs.values("pk")).order_by("pk"):
                item = getattr(link, f"{name}_id")
                if item in written[name]:
                    grouped[item].append(evidence[link.evidence_id])
                    attached.add(link.evidence_id)
            self.evidence_by[name] = grouped
        self.loose_evidence = _group([e for e in evidence.values() if e.pk not in attached], "initiative_id")

    def activities(self) -> Iterator[etree._Element]:
        for initiative in self.initiatives:
            yield self.activity(initiative)

    def activity(self, initiative: Initiative) -> etree._Element:
        activity = etree.Element("iati-activity", {
            XML_LANG: "fr", "last-updated-datetime": _datetime(initiative.updated_at)})
        _text(activity, "iati-identifier", iati_identifier(initiative))
        reporting = etree.SubElement(activity, "reporting-org", ref=settings.CATALYSE_IATI_REPORTING_ORG_REF,
                                     type=settings.CATALYSE_IATI_REPORTING_ORG_TYPE)
        _narrative(reporting, settings.CATALYSE_IATI_REPORTING_ORG_NAME)
        _narrative(etree.SubElement(activity, "title"), initiative.title)
        _narrative(etree.SubElement(activity, "description", type="1"), initiative.summary)
        self.participants(activity, initiative)
        etree.SubElement(activity, "activity-status", code=_activity_status(initiative))
        start = initiative.start_date or initiative.created_at.date()
        etree.SubElement(activity, "activity-date", {"type": ACTIVITY_DATE_ACTUAL_START, "iso-date": _date(start)})
        if initiative.end_date:
            end_type = ACTIVITY_DATE_ACTUAL_END if initiative.status == Status.ENDED else ACTIVITY_DATE_PLANNED_END
            etree.SubElement(activity, "activity-date", {"type": end_type, "iso-date": _date(initiative.end_date)})
        for sdg in initiative.sdgs.all():
            etree.SubElement(activity, "tag", vocabulary=TAG_SDG_GOAL, code=str(sdg.number))
        indicators = self.indicators.get(initiative.pk, [])
        for target in sorted({i.sdg_target for i in indicators if i.sdg_target}):
            etree.SubElement(activity, "tag", vocabulary=TAG_SDG_TARGET, code=target)
        for item in self.loose_evidence.get(initiative.pk, []):
            self.document_link(activity, item)
        self.results(activity, initiative, indicators)
        return activity

    def participants(self, activity: etree._Element, initiative: Initiative) -> None:
        seen = set()
        for partnership in self.partnerships.get(initiative.pk, []):
            role = ORGANISATION_ROLE.get(partnership.role)
            if role is None or (partnership.organisation_id, role) in seen:
                continue
            seen.add((partnership.organisation_id, role))
            organisation = partnership.organisation
            attributes = {"role": role}
            if organisation.profile in ORGANISATION_TYPE:
                attributes["type"] = ORGANISATION_TYPE[organisation.profile]
            _narrative(etree.SubElement(activity, "participating-org", attributes), organisation.name)
        if not seen:
            # The schema wants at least one participant: the network that publishes, as extending organisation.
            org = etree.SubElement(activity, "participating-org", role="3",
                                   ref=settings.CATALYSE_IATI_REPORTING_ORG_REF)
            _narrative(org, settings.CATALYSE_IATI_REPORTING_ORG_NAME)

    def results(self, activity: etree._Element, initiative: Initiative, indicators: list[Indicator]) -> None:
        by_objective: dict[int | None, list[Indicator]] = defaultdict(list)
        for indicator in indicators:
            by_objective[indicator.objective_id].append(indicator)
        objectives = {o.pk: o for o in self.objectives.get(initiative.pk, [])}
        for objective in objectives.values():
            if by_objective.get(objective.pk):  # a result needs at least one indicator
                self.result(activity, _result_type(objective), objective.title, objective.description,
                            self.evidence_by["objective"].get(objective.pk, []), by_objective[objective.pk])
        # Indicators of no objective, or of an objective this reader may not see, under one "other" result.
        loose = [i for objective_id, group in by_objective.items() if objective_id not in objectives for i in group]
        if loose:
            self.result(activity, RESULT_OTHER, "Indicateurs de l'initiative", "", [], loose)

    def result(self, activity, result_type: str, title: str, description: str, evidence: list[Evidence],
               indicators: list[Indicator]) -> None:
        result = etree.SubElement(activity, "result", type=result_type)
        _narrative(etree.SubElement(result, "title"), title)
        if description:
            _narrative(etree.SubElement(result, "description"), description)
        for item in evidence:
            self.document_link(result, item)
        for indicator in indicators:
            self.indicator(result, indicator)

    def indicator(self, result: etree._Element, indicator: Indicator) -> None:
        version = self.versions[(indicator.pk, indicator.current_version)]
        element = etree.SubElement(result, "indicator", measure=MEASURE[version.measure],
                                   ascending="false" if version.direction == "decrease" else "true")
        _narrative(etree.SubElement(element, "title"), indicator.name)
        _narrative(etree.SubElement(element, "description"),
                   f"{version.definition}\n\nMode de calcul : {version.computation}")
        for item in self.evidence_by["indicator"].get(indicator.pk, []):
            self.document_link(element, item)
        if indicator.sdg_target:
            etree.SubElement(element, "reference", vocabulary=INDICATOR_VOCABULARY_SDG, code=indicator.sdg_target)
        if version.baseline_value is not None:  # no value means "not applicable": no baseline
            baseline_date = version.baseline_date or version.created_at.date()
            attributes = {"year": str(baseline_date.year), "value": _number(version.baseline_value)}
            if version.baseline_date:
                attributes["iso-date"] = _date(version.baseline_date)
            baseline = etree.SubElement(element, "baseline", attributes)
            _level_comment(baseline, version, version.baseline_value)
        self.periods(element, indicator, version)

    def periods(self, element: etree._Element, indicator: Indicator, version: IndicatorVersion) -> None:
        """One period per approved measurement, with the targets dated within it; a target no measured period
        covers gets a period of its own, from the day after the previous target, measured period or baseline."""
        measurements = self.measurements.get(indicator.pk, [])
        targets = sorted(_targets(version), key=lambda t: t[0])
        periods: list[tuple[dt.date, dt.date, list[Any], Any]] = []  # Any: a measurement row (named tuple)
        covered = set()
        for measurement in measurements:
            start, end = measurement.period_start, measurement.period_end
            within = [(day, value) for day, value in targets if start <= day <= end]
            covered.update(day for day, _value in within)
            periods.append((start, end, [value for _day, value in within], measurement))
        previous = version.baseline_date
        for day, value in targets:
            if day not in covered:
                measured = [m.period_end for m in measurements if m.period_end < day]
                after = max([d for d in (previous, *measured) if d and d < day], default=None)
                periods.append((after + dt.timedelta(days=1) if after else day, day, [value], None))
            previous = day
        for start, end, target_values, measurement in sorted(periods, key=lambda p: (p[1], p[0])):
            period = etree.SubElement(element, "period")
            etree.SubElement(period, "period-start", {"iso-date": _date(start)})
            etree.SubElement(period, "period-end", {"iso-date": _date(end)})
            for value in target_values:
                target = etree.SubElement(period, "target", value=_number(value))
                _level_comment(target, version, value)
            if measurement is not None:
                self.actuals(period, measurement)

    def actuals(self, period: etree._Element, measurement) -> None:
        """The actual of an approved measurement (a named tuple of `Measurement` fields) and its parts."""
        version = self.versions_by_pk[measurement.version_id]
        value = measurement.level if measurement.level is not None else measurement.value
        actual = etree.SubElement(period, "actual", {} if value is None else {"value": _number(value)})
        if version.measure == Measure.SCALE:
            _level_comment(actual, version, value)
        elif measurement.comment:
            _narrative(etree.SubElement(actual, "comment"), measurement.comment)
        for item in self.evidence_by["measurement"].get(measurement.pk, []):
            self.document_link(actual, item)
        for part in self.disaggregations.get(measurement.pk, []):
            disaggregated = etree.SubElement(period, "actual", value=_number(part.value))
            etree.SubElement(disaggregated, "dimension", name=part.dimension, value=part.category)

    def document_link(self, parent: etree._Element, item: Evidence) -> None:
        url = item.file.url if item.file else item.url
        if url.startswith("/"):
            url = self.base_url + url
        media_type = (mimetypes.guess_type(item.file.name)[0] if item.file else None) or "text/html"
        link = etree.SubElement(parent, "document-link", url=url, format=media_type)
        _narrative(etree.SubElement(link, "title"), item.title)
        if item.text:
            _narrative(etree.SubElement(link, "description"), item.text)
        etree.SubElement(link, "category", code=DOCUMENT_CATEGORY_RESULTS)
        etree.SubElement(link, "language", code="fr")
        etree.SubElement(link, "document-date", {"iso-date": _date(item.created_at.date())})


# ---- small helpers -----------------------------------------------------------------------------------------

def _group(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = text
    return element


def _narrative(parent: etree._Element, text: str) -> etree._Element:
    return _text(parent, "narrative", _xml_safe(text))


def _xml_safe(text: str) -> str:
    # XML 1.0 forbids most control characters; a pasted one would make lxml refuse the whole export.
    return "".join(c for c in str(text) if c in "\t\n\r" or c >= " ")


def _level_comment(parent: etree._Element, version: IndicatorVersion, value: Any) -> None:
    """On scale indicators, the label of the level `value` as the element's comment."""
    if version.measure != Measure.SCALE or value is None:
        return
    try:
        label = version.scale_levels[int(Decimal(str(value))) - 1]
    except (IndexError, InvalidOperation, ValueError, TypeError):
        return
    _narrative(etree.SubElement(parent, "comment"), f"Niveau {_number(value)} : {label}")


def _targets(version: IndicatorVersion) -> list[tuple[dt.date, Any]]:
    targets = []
    for target in version.targets or []:
        try:
            targets.append((dt.date.fromisoformat(str(target["date"])), target["value"]))
        except (KeyError, TypeError, ValueError):
            continue  # a malformed target is the form's business, not a reason to fail the export
    return targets


def _number(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date(day: dt.date) -> str:
    return day.isoformat()


def _datetime(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _activity_status(initiative: Initiative) -> str:
    if initiative.status == Status.ENDED:
        return "4"
    if initiative.status == Status.PAUSED:
        return "6"
    return "1" if initiative.stage == Stage.EMERGENCE else "2"


def _result_type(objective: Objective) -> str:
    if objective.tier == 0:
        return RESULT_IMPACT
    return RESULT_OUTCOME if objective.tier == 1 else RESULT_OUTPUT

