"""Writes of part 2 of the evaluation: change paths and their outcome journal, fears/attractions/temptations,
sense-making sessions and SROI estimates. Every channel (pages, API, demo data) goes through these functions.

Everything written here starts private to the partners; publishing goes through `publication` (co-validation:
an item about a partner — a path whose actor is a partner, its journal, a partner's fears — waits for its
approval).

Permission checks belong to the callers, through `evaluation.permissions`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalyse.accounts.audit import Action, audit_record
from catalyse.initiatives.models import Initiative, Partnership

from . import publication, sroi
from .models import (
    NUMBER,
    Becomes,
    ChangePath,
    ChangeVision,
    ConductRule,
    Decision,
    Disagreement,
    FatItem,
    FatKind,
    IndicatorVersion,
    JournalEntry,
    MarkerLevel,
    MarkerStatus,
    Objective,
    ProgressMarker,
    SenseMakingSession,
    SroiEstimate,
    SroiOutcome,
)

_LIMIT = Decimal(10) ** (NUMBER["max_digits"] - NUMBER["decimal_places"])


def _person(user):
    return user if user is not None and user.is_authenticated else None


def _text(value: Any, field: str, message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _is_partner(initiative: Initiative, organisation) -> bool:
    return Partnership.objects.filter(initiative=initiative, organisation=organisation).exists()


def _same_initiative(initiative: Initiative, objects: Iterable, field: str, path: str = "initiative_id") -> list:
    objects = list(objects)
    for obj in objects:
        owner = obj
        for part in path.split("__")[:-1]:
            owner = getattr(owner, part)
        if getattr(owner, path.split("__")[-1]) != initiative.pk:
            raise ValidationError({field: _("« %(item)s » appartient à une autre initiative.") % {"item": obj}})
    return objects


# Change paths ------------------------------------------------------------------------------------------------------

@transaction.atomic
def vision_set(*, initiative: Initiative, text: str, actor=None) -> ChangeVision:
    vision, _created = ChangeVision.objects.get_or_create(initiative=initiative, defaults={"text": ""})
    changed = vision.text != text.strip()
    vision.text = _text(text, "text", _("Écrivez la vision partagée."))
    vision.save()
    if changed:
        publication.publication_reset(vision, actor=actor)
    audit_record(Action.UPDATE, obj=vision, actor=actor)
    return vision


def _marker_fields(marker: Any) -> tuple[str, str]:
    level, text = (marker["level"], marker["text"]) if isinstance(marker, dict) else marker
    if level not in MarkerLevel.values:
        raise ValidationError({"markers": _("Niveau de marqueur inconnu : %(level)s.") % {"level": level}})
    return level, _text(text, "markers", _("Chaque marqueur de progrès a un texte."))


@transaction.atomic
def change_path_create(*, initiative: Initiative, outcome_challenge: str, organisation=None, actor_name: str = "",
                       markers: Iterable = (), created_by=None) -> ChangePath:
    """A boundary partner — an `organisation` or an `actor_name` — with its outcome challenge and its progress
    markers: `[(level, text)]` or `[{"level", "text"}]`, levels `expect`, `like`, `love`."""
    actor_name = str(actor_name or "").strip()
    if organisation is None and not actor_name:
        raise ValidationError({"organisation": _("Choisissez une organisation ou nommez l'acteur dont le changement "
                                                 "est recherché.")})
    cleaned = [_marker_fields(marker) for marker in markers]
    concerns = organisation if organisation is not None and _is_partner(initiative, organisation) else None
    path = ChangePath(initiative=initiative, organisation=organisation, actor_name="" if organisation else actor_name,
                      concerns=concerns,
                      outcome_challenge=_text(outcome_challenge, "outcome_challenge", _("Décrivez le défi de "
                                                                                         "changement.")),
                      created_by=_person(created_by), position=ChangePath.objects.filter(initiative=initiative).count())
    path.full_clean()
    path.save()
    ProgressMarker.objects.bulk_create(ProgressMarker(path=path, level=level, text=text, position=index)
                                       for index, (level, text) in enumerate(cleaned))
    audit_record(Action.CREATE, obj=path, actor=created_by, changes={"markers": len(cleaned)})
    return path


@transaction.atomic
def marker_add(*, path: ChangePath, level: str, text: str, actor=None) -> ProgressMarker:
    level, text = _marker_fields((level, text))
    marker = ProgressMarker.objects.create(path=path, level=level, text=text, position=path.markers.count())
    audit_record(Action.CREATE, obj=marker, actor=actor)
    return marker


@transaction.atomic
def journal_entry_create(*, path: ChangePath, observed_on: date, observed_change: str, marker=None,
                         status: str = "", significance: str = "", contribution: str = "", evidence=(),
                         confirmed_by=None, confirmed_by_role: str = "", created_by=None) -> JournalEntry:
    """A dated observation. With a `marker` (of this path) it says the status the marker reached — not_yet,
    partly, fully — and becomes that marker's current status if it is the latest; without one it records an
    unexpected change, and has no status. Not in the future; evidence from the initiative's library."""
    if marker is not None:
        if marker.path_id != path.pk:
            raise ValidationError({"marker": _("Ce marqueur appartient à un autre chemin de changement.")})
        if status not in MarkerStatus.values:
            raise ValidationError({"status": _("Dites où en est le marqueur : pas encore, en partie ou "
                                               "pleinement.")})
    elif status:
        raise ValidationError({"status": _("Un changement inattendu (sans marqueur) n'a pas de statut.")})
    if observed_on > timezone.localdate():
        raise ValidationError({"observed_on": _("Un changement s'observe au passé : la date est dans le futur.")})
    evidence = _same_initiative(path.initiative, evidence, "evidence")
    entry = JournalEntry(path=path, marker=marker, observed_on=observed_on, status=status,
                         observed_change=_text(observed_change, "observed_change", _("Décrivez le changement "
                                                                                      "observé.")),
                         significance=significance.strip(), contribution=contribution.strip(),
                         confirmed_by=confirmed_by, confirmed_by_role=confirmed_by_role.strip(),
                         concerns=path.concerns, created_by=_person(created_by))
    entry.full_clean()
    entry.save()
    entry.evidence.set(evidence)
    audit_record(Action.CREATE, obj=entry, actor=created_by, changes={"status": status})
    return entry


# Fears, attractions, temptations -----------------------------------------------------------------------------------

@transaction.atomic
def conduct_rule_create(*, initiative: Initiative, kind: str, text: str, actor=None) -> ConductRule:
    if kind not in ConductRule.Kind.values:
        raise ValidationError({"kind": _("Précaution ou règle de conduite.")})
    rule = ConductRule.objects.create(initiative=initiative, kind=kind,
                                      text=_text(text, "text", _("Écrivez la précaution ou la règle.")))
    audit_record(Action.CREATE, obj=rule, actor=actor)
    return rule


@transaction.atomic
def fat_item_create(*, initiative: Initiative, organisation, kind: str, text: str, about=None,
                    created_by=None) -> FatItem:
    """A fear, attraction or temptation of a partner `organisation`; with `about`, answered "in the mirror" for
    a colleague partner organisation."""
    if kind not in FatKind.values:
        raise ValidationError({"kind": _("Crainte, attrait ou tentation.")})
    if organisation is None or not _is_partner(initiative, organisation):
        raise ValidationError({"organisation": _("Cette organisation n'est pas partenaire de l'initiative.")})
    if about is not None:
        if about == organisation:
            raise ValidationError({"about": _("En miroir, on répond pour une autre organisation que la sienne.")})
        if not _is_partner(initiative, about):
            raise ValidationError({"about": _("Cette organisation n'est pas partenaire de l'initiative.")})
    item = FatItem.objects.create(initiative=initiative, organisation=organisation, concerns=organisation,
                                  about=about, kind=kind,
                                  text=_text(text, "text", _("Écrivez la crainte, l'attrait ou la tentation.")),
                                  created_by=_person(created_by))
    audit_record(Action.CREATE, obj=item, actor=created_by)
    return item


@transaction.atomic
def fat_item_transform(item: FatItem, *, becomes: str, objective: Objective | None = None,
                       rule: ConductRule | None = None, rule_text: str = "", actor=None) -> FatItem:
    """What the partners made of an item: an `objective` of the initiative, or a precaution or a rule of conduct
    (an existing `rule` of that kind, or a new one written from `rule_text`)."""
    item.objective, item.rule = None, None
    if becomes == Becomes.OBJECTIVE:
        if objective is None or objective.initiative_id != item.initiative_id:
            raise ValidationError({"objective": _("Choisissez un objectif de l'initiative.")})
        item.objective = objective
    elif becomes in (Becomes.PRECAUTION, Becomes.RULE):
        if rule is None:
            rule = conduct_rule_create(initiative=item.initiative, kind=becomes, text=rule_text, actor=actor)
        elif rule.initiative_id != item.initiative_id or rule.kind != becomes:
            raise ValidationError({"rule": _("Choisissez une %(kind)s de l'initiative.")
                                   % {"kind": ConductRule.Kind(becomes).label.lower()}})
        item.rule = rule
    elif becomes != Becomes.PENDING:
        raise ValidationError({"becomes": _("Précaution, objectif ou règle de conduite.")})
    before = item.becomes
    item.becomes = becomes
    item.save(update_fields=["becomes", "objective", "rule"])
    audit_record(Action.UPDATE, obj=item, actor=actor, changes={"becomes": [before, becomes]})
    return item


# Sense-making sessions ---------------------------------------------------------------------------------------------

@transaction.atomic
def session_create(*, initiative: Initiative, held_on: date, title: str, participants=(), indicators=(),
                   journal_entries=(), summary: str = "", disagreements: Iterable[dict] = (),
                   decisions: Iterable[dict] = (), created_by=None) -> SenseMakingSession:
    """A review meeting. `disagreements`: [{subject, positions, organisations}] — kept as their own records,
    never merged into the summary; `decisions`: [{text, follow_up, due_on, indicator_versions}], the versions of
    indicators they caused (of this initiative)."""
    participants = list(participants)
    for organisation in participants:
        if not _is_partner(initiative, organisation):
            raise ValidationError({"participants": _("%(org)s n'est pas partenaire de l'initiative.")
                                   % {"org": organisation}})
    indicators = _same_initiative(initiative, indicators, "indicators")
    journal_entries = _same_initiative(initiative, journal_entries, "journal_entries", "path__initiative_id")
    session = SenseMakingSession(initiative=initiative, held_on=held_on,
                                 title=_text(title, "title", _("Donnez un intitulé à la séance.")),
                                 summary=summary.strip(), created_by=_person(created_by))
    session.full_clean()
    session.save()
    session.participants.set(participants)
    session.indicators.set(indicators)
    session.journal_entries.set(journal_entries)
    for point in disagreements:
        disagreement_add(session=session, **point)
    for decision in decisions:
        decision_add(session=session, **decision)
    audit_record(Action.CREATE, obj=session, actor=created_by)
    return session


@transaction.atomic
def disagreement_add(*, session: SenseMakingSession, subject: str, positions: str,
                     organisations=()) -> Disagreement:
    organisations = list(organisations)
    for organisation in organisations:
        if not _is_partner(session.initiative, organisation):
            raise ValidationError({"organisations": _("%(org)s n'est pas partenaire de l'initiative.")
                                   % {"org": organisation}})
    disagreement = Disagreement.objects.create(
        session=session, subject=_text(subject, "subject", _("Dites sur quoi porte le désaccord.")),
        positions=_text(positions, "positions", _("Notez les positions exprimées, sans les fondre en une.")))
    disagreement.organisations.set(organisations)
    return disagreement


@transaction.atomic
def decision_add(*, session: SenseMakingSession, text: str, follow_up: str = "", due_on: date | None = None,
                 indicator_versions=()) -> Decision:
    versions = list(indicator_versions)
    _same_initiative(session.initiative, versions, "indicator_versions", "indicator__initiative_id")
    decision = Decision.objects.create(session=session, text=_text(text, "text", _("Écrivez la décision.")),
                                       follow_up=follow_up.strip(), due_on=due_on)
    decision.indicator_versions.set(versions)
    return decision


@transaction.atomic
def decision_done(decision: Decision, *, done_on: date | None = None, actor=None) -> Decision:
    decision.done_on = done_on or timezone.localdate()
    if decision.done_on < decision.session.held_on:
        raise ValidationError({"done_on": _("Une suite est donnée après la séance.")})
    decision.save(update_fields=["done_on"])
    audit_record(Action.UPDATE, obj=decision, actor=actor, changes={"done_on": str(decision.done_on)})
    return decision


def versions_of(initiative: Initiative):
    return IndicatorVersion.objects.filter(indicator__initiative=initiative).select_related("indicator")


# SROI --------------------------------------------------------------------------------------------------------------

def _stored(value: Decimal, field: str) -> Decimal:
    if abs(value) >= _LIMIT:
        raise ValidationError({field: _("Nombre hors des limites.")})
    return value


def sroi_inputs_make(*, outcomes: Iterable[dict], discount_rate: Any, investment: Any) -> sroi.Inputs:
    """The calculator's inputs checked (see `sroi`); outcome dicts take `sroi.outcome_make`'s fields."""
    made = []
    for index, fields in enumerate(outcomes, start=1):
        fields = {name: value for name, value in fields.items() if name != "indicator"}
        try:
            made.append(sroi.outcome_make(**fields))
        except ValidationError as exc:
            raise ValidationError({f"outcomes[{index}].{field}": messages
                                   for field, messages in exc.message_dict.items()}) from None
    return sroi.inputs_make(outcomes=made, discount_rate=discount_rate, investment=investment)


@transaction.atomic
def sroi_estimate_create(*, initiative: Initiative, title: str, outcomes: Iterable[dict], discount_rate: Any,
                         investment: Any, estimated_on: date | None = None, sensitivity_step: Any = "0.1",
                         investment_note: str = "", notes: str = "", created_by=None) -> SroiEstimate:
    """Save an estimate with its documented assumptions. `outcomes`: dicts of `sroi.outcome_make`'s fields, and
    optionally `indicator` (of this initiative) where the quantity comes from."""
    outcomes = list(outcomes)
    inputs = sroi_inputs_make(outcomes=outcomes, discount_rate=discount_rate, investment=investment)
    step = sroi.rate(sensitivity_step, "sensitivity_step")
    if step == 0:
        raise ValidationError({"sensitivity_step": _("Le pas de sensibilité est supérieur à zéro.")})
    indicators = [fields.get("indicator") for fields in outcomes]
    _same_initiative(initiative, [i for i in indicators if i is not None], "indicator")
    estimate = SroiEstimate(initiative=initiative, title=_text(title, "title", _("Donnez un intitulé à "
                                                                                 "l'estimation.")),
                            estimated_on=estimated_on or timezone.localdate(),
                            investment=_stored(inputs.investment, "investment"), investment_note=investment_note,
                            discount_rate=inputs.discount_rate, sensitivity_step=step, notes=notes,
                            created_by=_person(created_by))
    estimate.full_clean()
    estimate.save()
    SroiOutcome.objects.bulk_create(
        SroiOutcome(estimate=estimate, position=index, indicator=indicator, name=o.name, stakeholder=o.stakeholder,
                    quantity=_stored(o.quantity, "quantity"), proxy=_stored(o.proxy, "proxy"),
                    proxy_source=o.proxy_source, deadweight=o.deadweight, attribution=o.attribution,
                    displacement=o.displacement, drop_off=o.drop_off, duration=o.duration, assumptions=o.assumptions)
        for index, (o, indicator) in enumerate(zip(inputs.outcomes, indicators, strict=True)))
    audit_record(Action.CREATE, obj=estimate, actor=created_by)
    return estimate


def sroi_inputs(estimate: SroiEstimate) -> sroi.Inputs:
    """A saved estimate as the calculator's inputs."""
    outcomes = tuple(sroi.Outcome(name=o.name, quantity=o.quantity, proxy=o.proxy, proxy_source=o.proxy_source,
                                  deadweight=o.deadweight, attribution=o.attribution, displacement=o.displacement,
                                  drop_off=o.drop_off, duration=o.duration, stakeholder=o.stakeholder,
                                  assumptions=o.assumptions)
                     for o in estimate.outcomes.all())
    return sroi.Inputs(outcomes=outcomes, discount_rate=estimate.discount_rate, investment=estimate.investment)
