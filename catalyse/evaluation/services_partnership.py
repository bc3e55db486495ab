"""Writes of the partnership's own evaluation (part 2): the mobilisation log and cooperation maturity in waves.

Every channel (pages, API, demo data) goes through these functions. Permission checks belong to the callers
(`permissions.can_contribute`), as in part 1; publication goes through `publication`.

Mobilisation rules, checked on the organisation's whole history whatever the order of entry:
- an organisation is *in* or *out*; `joined` needs it never in before, `returned` needs it out after having
  been in, `left` and `role_changed` need it in, `invited` needs it out. A history may start with `left` or
  `role_changed`: the partner was then in from the start of the log.
- leaving, coming back and changing role need a reason; a role change names the new role.
- events about a person representing the partner (`subject=person`) name the person's function, never a name,
  and do not change whether the organisation is in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalyse.accounts.audit import Action, audit_record
from catalyse.actors.models import Organisation
from catalyse.initiatives.models import Initiative, Partnership, Role

from .models import (
    EngagementLevel,
    EngagementScale,
    EventKind,
    EventSubject,
    MaturityQuestionnaire,
    MaturityResponse,
    MaturityWave,
    MobilisationEvent,
)
from .publication import publication_reset
from .queries_partnership import questionnaire_axes

NEEDS_REASON = {EventKind.LEFT, EventKind.RETURNED, EventKind.ROLE_CHANGED}


def _person(user):
    return user if user is not None and user.is_authenticated else None


def _date(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: _("Date attendue au format AAAA-MM-JJ.")}) from None


def _evidence(initiative: Initiative, evidence) -> list:
    evidence = list(evidence or ())
    if any(item.initiative_id != initiative.pk for item in evidence):
        raise ValidationError({"evidence": _("Une preuve appartient à une autre initiative.")})
    return evidence


def _partner(initiative: Initiative, organisation: Organisation | None, field: str = "organisation") -> Organisation:
    if organisation is None or not Partnership.objects.filter(initiative=initiative,
                                                              organisation=organisation).exists():
        raise ValidationError({field: _("Cette organisation n'est pas partenaire de l'initiative.")})
    return organisation


# Mobilisation ------------------------------------------------------------------------------------------------------

def mobilisation_sequence_check(kinds_in_order: list[str]) -> None:
    """Raise ValidationError when the organisation's events (by date) do not make a possible history."""
    state = None  # unknown until the first event: None, "in" or "out"
    was_in = False
    for kind in kinds_in_order:
        if kind == EventKind.INVITED:
            ok = state != "in"
        elif kind == EventKind.JOINED:
            ok, state, was_in = state != "in" and not was_in, "in", True
        elif kind == EventKind.RETURNED:
            ok, state = state == "out" and was_in, "in"
        elif kind == EventKind.LEFT:
            ok, state, was_in = state in (None, "in"), "out", True
        else:  # role changed
            ok, state, was_in = state in (None, "in"), "in", True
        if not ok:
            raise ValidationError({"kind": _(
                "Cet événement contredit l'historique du partenaire (%(kind)s impossible à cette date).")
                % {"kind": EventKind(kind).label}})


@transaction.atomic
def mobilisation_event_create(*, initiative: Initiative, organisation: Organisation | None, kind: str,
                              happened_on: Any, subject: str = EventSubject.ORGANISATION, person_function: str = "",
                              role: str = "", reason: str = "", evidence=(), actor=None) -> MobilisationEvent:
    """`evidence`: items of the initiative's evidence library that show this mobilisation."""
    _partner(initiative, organisation)
    evidence = _evidence(initiative, evidence)
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("Événement inconnu.")})
    if subject not in EventSubject.values:
        raise ValidationError({"subject": _("Dites si l'événement concerne l'organisation ou une personne.")})
    happened_on = _date(happened_on, "happened_on")
    reason, person_function = (reason or "").strip(), (person_function or "").strip()
    if kind in NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Donnez le motif de ce changement.")})
    if role and role not in Role.values:
        raise ValidationError({"role": _("Rôle inconnu.")})
    if kind == EventKind.ROLE_CHANGED and not role:
        raise ValidationError({"role": _("Indiquez le nouveau rôle.")})
    if subject == EventSubject.PERSON and not person_function:
        raise ValidationError({"person_function": _("Indiquez la fonction de la personne (pas son nom).")})
    event = MobilisationEvent(initiative=initiative, concerns=organisation, kind=kind, happened_on=happened_on,
                              subject=subject, person_function=person_function, role=role or "", reason=reason,
                              created_by=_person(actor))
    if subject == EventSubject.ORGANISATION:
        history = list(MobilisationEvent.objects.filter(initiative=initiative, concerns=organisation,
                                                        subject=EventSubject.ORGANISATION)
                       .values_list("happened_on", "pk", "kind"))
        history.append((happened_on, float("inf"), kind))  # same day: after what was entered before
        mobilisation_sequence_check([k for _d, _pk, k in sorted(history)])
    event.full_clean()
    event.save()
    event.evidence.set(evidence)
    audit_record(Action.CREATE, obj=event, actor=_person(actor))
    return event


@transaction.atomic
def mobilisation_event_delete(event: MobilisationEvent, *, actor=None) -> None:
    """Remove a mistaken entry; the rest of the history must stay possible."""
    if event.subject == EventSubject.ORGANISATION:
        mobilisation_sequence_check(list(
            MobilisationEvent.objects.filter(initiative=event.initiative, concerns=event.concerns,
                                             subject=EventSubject.ORGANISATION).exclude(pk=event.pk)
            .order_by("happened_on", "pk").values_list("kind", flat=True)))
    audit_record(Action.DELETE, obj=event, actor=_person(actor), object_repr=str(event))
    event.delete()


@transaction.atomic
def engagement_level_set(*, initiative: Initiative, organisation: Organisation | None, period_start: Any,
                         period_end: Any, level: Any, people: int | None = None, comment: str = "",
                         evidence=(), actor=None) -> EngagementLevel:
    """A partner's level on the stated 5-level scale for one period; the same period again replaces it (and its
    publication waits for the partner's approval again). Periods of one partner do not overlap."""
    _partner(initiative, organisation)
    evidence = _evidence(initiative, evidence)
    start, end = _date(period_start, "period_start"), _date(period_end, "period_end")
    if end < start:
        raise ValidationError({"period_end": _("La période doit finir après son début.")})
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in EngagementScale.values:
        raise ValidationError({"level": _("Niveau d'engagement entre 1 et 5.")})
    if people is not None and (not isinstance(people, int) or isinstance(people, bool) or not 0 <= people <= 10_000):
        raise ValidationError({"people": _("Nombre de personnes entre 0 et 10 000.")})
    mine = EngagementLevel.objects.filter(initiative=initiative, concerns=organisation)
    current = mine.filter(period_start=start, period_end=end).first()
    if mine.filter(period_start__lte=end, period_end__gte=start).exclude(
            pk=current.pk if current else None).exists():
        raise ValidationError({"period_start": _("Cette période chevauche une période déjà renseignée pour ce "
                                                 "partenaire.")})
    record = current or EngagementLevel(initiative=initiative, concerns=organisation, period_start=start,
                                        period_end=end, created_by=_person(actor))
    changed = current is not None and (current.level, current.people, current.comment) != (level, people, comment)
    record.level, record.people, record.comment = level, people, (comment or "").strip()
    record.full_clean()
    record.save()
    record.evidence.set(evidence)
    audit_record(Action.UPDATE if current else Action.CREATE, obj=record, actor=_person(actor))
    if changed:
        publication_reset(record, actor=_person(actor))
    return record


# Cooperation maturity ----------------------------------------------------------------------------------------------

def _axes_clean(axes: Any) -> list[dict[str, Any]]:
    if not isinstance(axes, list) or not 3 <= len(axes) <= 12:
        raise ValidationError({"axes": _("Entre 3 et 12 axes.")})
    cleaned, codes = [], set()
    for axis in axes:
        if not isinstance(axis, dict):
            raise ValidationError({"axes": _("Chaque axe a un code, un intitulé et des niveaux décrits.")})
        code, label = str(axis.get("code", "")).strip(), str(axis.get("label", "")).strip()
        levels = axis.get("levels")
        if not code or not label or code in codes or len(code) > 40 or len(label) > 120:
            raise ValidationError({"axes": _("Chaque axe a un code unique (40 caractères au plus) et un intitulé.")})
        if not isinstance(levels, list) or not 2 <= len(levels) <= 7 or not all(
                isinstance(text, str) and text.strip() for text in levels):
            raise ValidationError({"axes": _("L'axe « %(axis)s » décrit chacun de ses 2 à 7 niveaux.")
                                   % {"axis": label}})
        codes.add(code)
        cleaned.append({"code": code, "label": label, "levels": [text.strip()[:500] for text in levels]})
    return cleaned


@transaction.atomic
def maturity_questionnaire_set(*, initiative: Initiative, axes: Any, actor=None) -> MaturityQuestionnaire:
    """Replace the questionnaire's axes; waves already opened keep the axes they were asked with."""
    questionnaire, _created = MaturityQuestionnaire.objects.update_or_create(
        initiative=initiative, defaults={"axes": _axes_clean(axes)})
    audit_record(Action.UPDATE, obj=questionnaire, actor=_person(actor))
    return questionnaire


@transaction.atomic
def maturity_wave_open(*, initiative: Initiative, title: str, held_on: Any, actor=None) -> MaturityWave:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Donnez un intitulé à la vague (par exemple « Vague 2025 »).")})
    wave = MaturityWave(initiative=initiative, title=title[:200], held_on=_date(held_on, "held_on"),
                        axes=questionnaire_axes(initiative), created_by=_person(actor))
    wave.save()
    audit_record(Action.CREATE, obj=wave, actor=_person(actor))
    return wave


@transaction.atomic
def maturity_response_add(*, wave: MaturityWave, organisation: Organisation | None, answers: Any,
                          respondent: str = "", comment: str = "", actor=None) -> MaturityResponse:
    """One respondent's answers: every axis of the wave, each a level from 1 to its number of levels. A new
    answer changes the wave's results, so its publication waits for the partners' approval again."""
    _partner(wave.initiative, organisation)
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Répondez à chaque axe.")})
    cleaned = {}
    for axis in wave.axes:
        value = answers.get(axis["code"])
        if value in (None, ""):
            raise ValidationError({"answers": _("Répondez à l'axe « %(axis)s ».") % {"axis": axis["label"]}})
        try:
            level = int(value)
        except (TypeError, ValueError):
            level = 0
        if isinstance(value, bool) or str(level) != str(value).strip() or not 1 <= level <= len(axis["levels"]):
            raise ValidationError({"answers": _("Axe « %(axis)s » : un niveau de 1 à %(max)s.")
                                   % {"axis": axis["label"], "max": len(axis["levels"])}})
        cleaned[axis["code"]] = level
    unknown = set(answers) - set(cleaned)
    if unknown:
        raise ValidationError({"answers": _("Axes inconnus : %(codes)s.") % {"codes": ", ".join(sorted(unknown))}})
    response = MaturityResponse.objects.create(wave=wave, organisation=organisation, answers=cleaned,
                                               respondent=(respondent or "").strip()[:120],
                                               comment=(comment or "").strip(), created_by=_person(actor))
    audit_record(Action.CREATE, obj=response, actor=_person(actor))
    publication_reset(wave, actor=_person(actor))
    return response

