"""Writes of the capitalisation bank. Every change of an initiative or a sheet records a Revision."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from catalyse.accounts.audit import Action, audit_changes, audit_record, audit_snapshot
from catalyse.actors.models import Organisation, PublicationStatus
from catalyse.core import permissions
from catalyse.core.concurrency import versioned_update
from catalyse.core.slugs import unique_slug
from catalyse.core.text import fold

from . import revisions
from .models import (
    Initiative,
    InitiativeProfile,
    Partnership,
    PracticeSheet,
    Revision,
    Role,
    Stage,
    StageChange,
)


def _next_number(**owner) -> int:
    return (Revision.objects.filter(**owner).aggregate(n=Max("number"))["n"] or 0) + 1


def _record(initiative: Initiative, *, author, message: str, sheet: PracticeSheet | None = None) -> Revision:
    owner = {"sheet": sheet} if sheet is not None else {"initiative": initiative, "sheet__isnull": True}
    snapshot = revisions.SHEET.snapshot(sheet) if sheet is not None else revisions.INITIATIVE.snapshot(initiative)
    return Revision.objects.create(
        initiative=initiative, sheet=sheet, number=_next_number(**owner), snapshot=snapshot,
        message=message[:300], author=author if getattr(author, "is_authenticated", False) else None,
    )


def _index(initiative: Initiative) -> None:
    initiative.search_text = fold(f"{initiative.title} {initiative.summary}")[:600]


@transaction.atomic
def initiative_create(*, created_by=None, territories=(), themes=(), sdgs=(), partners=(), message: str = "",
                      **fields) -> Initiative:
    """Create an initiative. Animators' (and imports') are published; others' go to moderation.

    `partners`: (organisation, role) pairs or dicts of partnership_add's arguments."""
    initiative = Initiative(**fields)
    if created_by is not None and not permissions.is_animator(created_by) and "publication" not in fields:
        initiative.publication = PublicationStatus.PENDING
    initiative.created_by = created_by
    initiative.slug = initiative.slug or unique_slug(Initiative, initiative.title)
    _index(initiative)
    initiative.full_clean(exclude=["slug"])
    initiative.save()
    initiative.territories.set(territories)
    initiative.themes.set(themes)
    initiative.sdgs.set(sdgs)
    StageChange.objects.create(
        initiative=initiative, stage=initiative.stage, created_by=_person(created_by),
        changed_on=initiative.start_date or timezone.localdate(),
    )
    partners_add(initiative=initiative, partners=[
        p if isinstance(p, dict) else {"organisation": p[0], "role": p[1]} for p in partners])
    _record(initiative, author=created_by, message=message or "Création")
    audit_record(Action.CREATE, obj=initiative, actor=created_by, changes={"publication": initiative.publication})
    return initiative


@transaction.atomic
def initiative_update(initiative: Initiative, *, author=None, expected_version: int | None = None,
                      message: str = "", territories=None, themes=None, sdgs=None, **fields) -> Initiative:
    """Change fields; raises ConflictError if someone else saved since `expected_version`.
    A new stage is recorded as a stage change dated today."""
    previous_stage = initiative.stage
    versioned_update(initiative, expected_version=expected_version, fields=fields, actor=author, prepare=_index,
                     relations={"territories": territories, "themes": themes, "sdgs": sdgs}, clean_exclude=["slug"],
                     record=lambda saved: _record(saved, author=author, message=message or "Modification"))
    if initiative.stage != previous_stage:
        StageChange.objects.create(initiative=initiative, stage=initiative.stage, changed_on=timezone.localdate(),
                                   created_by=_person(author))
    return initiative


def initiative_restore(initiative: Initiative, *, revision: Revision, author=None,
                       expected_version: int | None = None) -> Initiative:
    """Bring back the text and classification of an earlier version; the restore is itself a new version.
    Partners, resources and sheets have their own dated history and are left as they are."""
    if revision.initiative_id != initiative.pk or revision.sheet_id is not None:
        raise ValidationError("Cette version n'appartient pas à cette initiative.")
    return initiative_update(initiative, author=author, expected_version=expected_version,
                             message=f"Restauration de la version {revision.number}",
                             **revisions.INITIATIVE.fields_of(revision.snapshot))


@transaction.atomic
def stage_change(initiative: Initiative, *, stage: str, changed_on: datetime.date, author=None,
                 note: str = "") -> StageChange:
    """Date a change of stage (possibly in the past); the initiative's stage is the latest one."""
    if stage not in Stage.values:
        raise ValidationError({"stage": "Stade inconnu."})
    change = StageChange.objects.create(initiative=initiative, stage=stage, changed_on=changed_on, note=note,
                                        created_by=_person(author))
    audit_record(Action.CREATE, obj=change, actor=_person(author),
                 changes={"initiative": initiative.slug, "stage": stage, "changed_on": str(changed_on)})
    latest = initiative.stage_changes.order_by("-changed_on", "-pk").first()
    if latest.stage != initiative.stage:
        initiative_update(initiative, author=author, stage=latest.stage,
                          message=f"Stade : {latest.get_stage_display()}")
    return change


def _overlapping(initiative: Initiative, organisation: Organisation, role: str,
                 joined_on: datetime.date | None, left_on: datetime.date | None, exclude_pk=None):
    """Periods of the same organisation and role that overlap [joined_on, left_on).
    An empty date is open-ended; leaving and coming back on the same day does not overlap."""
    q = Q()
    if left_on is not None:
        q &= Q(joined_on__isnull=True) | Q(joined_on__lt=left_on)
    if joined_on is not None:
        q &= Q(left_on__isnull=True) | Q(left_on__gt=joined_on)
    return (Partnership.objects.filter(initiative=initiative, organisation=organisation, role=role)
            .exclude(pk=exclude_pk).filter(q))


def _check_period(partnership: Partnership) -> None:
    p = partnership
    if p.joined_on and p.left_on and p.left_on < p.joined_on:
        raise ValidationError({"left_on": "La date de départ doit suivre la date d'arrivée."})
    if _overlapping(p.initiative, p.organisation, p.role, p.joined_on, p.left_on, exclude_pk=p.pk).exists():
        raise ValidationError(
            f"{p.organisation} est déjà {p.get_role_display().lower()} de cette initiative sur une période "
            "qui chevauche celle-ci."
        )


PARTNERSHIP_FIELDS = ("initiative", "organisation", "role", "joined_on", "left_on")


@transaction.atomic
def partnership_add(*, initiative: Initiative, organisation: Organisation, role: str = Role.PARTENAIRE,
                    joined_on: datetime.date | None = None, left_on: datetime.date | None = None) -> Partnership:
    """Add a period of partnership. A partner who left and comes back gets a new row."""
    partnership = Partnership(initiative=initiative, organisation=organisation, role=role,
                              joined_on=joined_on, left_on=left_on)
    partnership.full_clean(exclude=["initiative", "organisation"], validate_constraints=False)
    _check_period(partnership)
    partnership.save()
    audit_record(Action.CREATE, obj=partnership, changes=audit_snapshot(partnership, PARTNERSHIP_FIELDS))
    return partnership


@transaction.atomic
def partners_add(*, initiative: Initiative, partners: Iterable[dict]) -> list[Partnership]:
    """Several periods of partnership (dicts of partnership_add's arguments): all of them, or none if one is
    refused — a form adding three partners must not leave the first two behind its error message."""
    return [partnership_add(initiative=initiative, **spec) for spec in partners]


@transaction.atomic
def partnership_end(partnership: Partnership, *, left_on: datetime.date) -> Partnership:
    before = audit_snapshot(partnership, ["left_on"])
    partnership.left_on = left_on
    _check_period(partnership)
    partnership.save(update_fields=["left_on"])
    audit_record(Action.UPDATE, obj=partnership, changes=audit_changes(before, partnership))
    return partnership


def initiative_profiles_refresh(*, initiative_ids) -> None:
    """Recompute the partner profiles (InitiativeProfile) of these initiatives from their partnerships."""
    initiative_ids = list(initiative_ids)
    with transaction.atomic():
        InitiativeProfile.objects.filter(initiative_id__in=initiative_ids).delete()
        rows = (Partnership.objects.filter(initiative_id__in=initiative_ids)
                .values_list("initiative_id", "organisation__profile").order_by().distinct())
        InitiativeProfile.objects.bulk_create(InitiativeProfile(initiative_id=i, profile=p) for i, p in rows)


@transaction.atomic
def sheet_create(*, initiative: Initiative, author=None, message: str = "", **fields) -> PracticeSheet:
    sheet = PracticeSheet(initiative=initiative, created_by=_person(author), **fields)
    sheet.full_clean(exclude=["initiative"])
    sheet.save()
    _record(initiative, author=author, message=message or "Création", sheet=sheet)
    audit_record(Action.CREATE, obj=sheet, actor=_person(author), changes={"initiative": initiative.slug})
    return sheet


def sheet_update(sheet: PracticeSheet, *, author=None, expected_version: int | None = None, message: str = "",
                 **fields) -> PracticeSheet:
    """Change a sheet; raises ConflictError if someone else saved since `expected_version`."""
    return versioned_update(
        sheet, expected_version=expected_version, fields=fields, actor=_person(author), clean_exclude=["initiative"],
        record=lambda saved: _record(saved.initiative, author=author, message=message or "Modification", sheet=saved))


def sheet_restore(sheet: PracticeSheet, *, revision: Revision, author=None,
                  expected_version: int | None = None) -> PracticeSheet:
    if revision.sheet_id != sheet.pk:
        raise ValidationError("Cette version n'appartient pas à cette fiche.")
    return sheet_update(sheet, author=author, expected_version=expected_version,
                        message=f"Restauration de la version {revision.number}",
                        **revisions.SHEET.fields_of(revision.snapshot))


def _person(user):
    return user if getattr(user, "is_authenticated", False) else None
