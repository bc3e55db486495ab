"""Writes of the capitalisation bank. Every change of an initiative or a sheet records a Revision."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from catalyse.accounts.audit import Action, audit_changes, audit_record, audit_snapshot
from catalyse.actors.models import Organisation, PublicationStatus
from catalyse.core import permissions
from catalyse.core.concurrency import save_with_version
from catalyse.core.slugs import unique_slug
from catalyse.core.text import fold
from catalyse.core.uploads import IMAGE_KINDS, check_document, clean_image

from .models import (
    Initiative,
    InitiativeProfile,
    Partnership,
    PracticeSheet,
    Resource,
    ResourceKind,
    Revision,
    Role,
    Stage,
    StageChange,
)
from .revisions import initiative_snapshot, sheet_snapshot


def _next_number(**owner) -> int:
    return (Revision.objects.filter(**owner).aggregate(n=Max("number"))["n"] or 0) + 1


def _record(initiative: Initiative, *, author, message: str, sheet: PracticeSheet | None = None) -> Revision:
    owner = {"sheet": sheet} if sheet is not None else {"initiative": initiative, "sheet__isnull": True}
    snapshot = sheet_snapshot(sheet) if sheet is not None else initiative_snapshot(initiative)
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
    for partner in partners:
        spec = partner if isinstance(partner, dict) else {"organisation": partner[0], "role": partner[1]}
        partnership_add(initiative=initiative, **spec)
    _record(initiative, author=created_by, message=message or "Création")
    audit_record(Action.CREATE, obj=initiative, actor=created_by, changes={"publication": initiative.publication})
    return initiative


@transaction.atomic
def initiative_update(initiative: Initiative, *, author=None, expected_version: int | None = None,
                      message: str = "", territories=None, themes=None, sdgs=None, **fields) -> Initiative:
    """Change fields; raises ConflictError if someone else saved since `expected_version`.
    A new stage is recorded as a stage change dated today."""
    previous_stage = initiative.stage
    before = audit_snapshot(initiative, fields)
    for name, value in fields.items():
        setattr(initiative, name, value)
    _index(initiative)
    initiative.full_clean(exclude=["slug"])
    save_with_version(initiative, expected_version=expected_version)
    if territories is not None:
        initiative.territories.set(territories)
    if themes is not None:
        initiative.themes.set(themes)
    if sdgs is not None:
        initiative.sdgs.set(sdgs)
    if initiative.stage != previous_stage:
        StageChange.objects.create(initiative=initiative, stage=initiative.stage, changed_on=timezone.localdate(),
                                   created_by=_person(author))
    _record(initiative, author=author, message=message or "Modification")
    audit_record(Action.UPDATE, obj=initiative, actor=author, changes=audit_changes(before, initiative))
    return initiative


def initiative_restore(initiative: Initiative, *, revision: Revision, author=None,
                       expected_version: int | None = None) -> Initiative:
    """Bring back the text and classification of an earlier version; the restore is itself a new version.
    Partners, resources and sheets have their own dated history and are left as they are."""
    if revision.initiative_id != initiative.pk or revision.sheet_id is not None:
        raise ValidationError("Cette version n'appartient pas à cette initiative.")
    data = dict(revision.snapshot)
    relations = {key: data.pop(key, []) for key in ("territories", "themes", "sdgs")}
    for key in ("start_date", "end_date"):
        data[key] = datetime.date.fromisoformat(data[key]) if data.get(key) else None
    return initiative_update(
        initiative, author=author, expected_version=expected_version,
        message=f"Restauration de la version {revision.number}",
        territories=relations["territories"], themes=relations["themes"], sdgs=relations["sdgs"], **data,
    )


@transaction.atomic
def stage_change(initiative: Initiative, *, stage: str, changed_on: datetime.date, author=None,
                 note: str = "") -> StageChange:
    """Date a change of stage (possibly in the past); the initiative's stage is the latest one."""
    if stage not in Stage.values:
        raise ValidationError({"stage": "Stade inconnu."})
    change = StageChange.objects.create(initiative=initiative, stage=stage, changed_on=changed_on, note=note,
                                        created_by=_person(author))
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


@transaction.atomic
def partnership_add(*, initiative: Initiative, organisation: Organisation, role: str = Role.PARTENAIRE,
                    joined_on: datetime.date | None = None, left_on: datetime.date | None = None) -> Partnership:
    """Add a period of partnership. A partner who left and comes back gets a new row."""
    partnership = Partnership(initiative=initiative, organisation=organisation, role=role,
                              joined_on=joined_on, left_on=left_on)
    partnership.full_clean(exclude=["initiative", "organisation"], validate_constraints=False)
    _check_period(partnership)
    partnership.save()
    return partnership


@transaction.atomic
def partnership_end(partnership: Partnership, *, left_on: datetime.date) -> Partnership:
    partnership.left_on = left_on
    _check_period(partnership)
    partnership.save(update_fields=["left_on"])
    return partnership


def initiative_profiles_refresh(*, initiative_ids) -> None:
    """Recompute the partner profiles (InitiativeProfile) of these initiatives from their partnerships."""
    initiative_ids = list(initiative_ids)
    with transaction.atomic():
        InitiativeProfile.objects.filter(initiative_id__in=initiative_ids).delete()
        rows = (Partnership.objects.filter(initiative_id__in=initiative_ids)
                .values_list("initiative_id", "organisation__profile").order_by().distinct())
        InitiativeProfile.objects.bulk_create(InitiativeProfile(initiative_id=i, profile=p) for i, p in rows)


SHEET_FIELDS = ("title", "territory", "objective", "actors_involved", "description", "next_step", "tools_used")


@transaction.atomic
def sheet_create(*, initiative: Initiative, author=None, message: str = "", **fields) -> PracticeSheet:
    sheet = PracticeSheet(initiative=initiative, created_by=_person(author), **fields)
    sheet.full_clean(exclude=["initiative"])
    sheet.save()
    _record(initiative, author=author, message=message or "Création", sheet=sheet)
    return sheet


@transaction.atomic
def sheet_update(sheet: PracticeSheet, *, author=None, expected_version: int | None = None, message: str = "",
                 **fields) -> PracticeSheet:
    """Change a sheet; raises ConflictError if someone else saved since `expected_version`."""
    for name, value in fields.items():
        setattr(sheet, name, value)
    sheet.full_clean(exclude=["initiative"])
    save_with_version(sheet, expected_version=expected_version)
    _record(sheet.initiative, author=author, message=message or "Modification", sheet=sheet)
    return sheet


def sheet_restore(sheet: PracticeSheet, *, revision: Revision, author=None,
                  expected_version: int | None = None) -> PracticeSheet:
    if revision.sheet_id != sheet.pk:
        raise ValidationError("Cette version n'appartient pas à cette fiche.")
    data = {key: revision.snapshot.get(key, "") for key in SHEET_FIELDS if key != "territory"}
    data["territory_id"] = revision.snapshot.get("territory")
    return sheet_update(sheet, author=author, expected_version=expected_version,
                        message=f"Restauration de la version {revision.number}", **data)


DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def resource_add(*, initiative: Initiative, kind: str, title: str, description: str = "", file=None,
                 url: str = "", author=None) -> Resource:
    """A document (uploaded, checked for type and size) or a link / video link."""
    if kind == ResourceKind.DOCUMENT:
        if not file:
            raise ValidationError({"file": "Choisissez le document à déposer."})
        if check_document(file, max_bytes=DOCUMENT_MAX_BYTES) in IMAGE_KINDS:
            # Re-encoded like a logo: a photo keeps no GPS metadata, a "PNG" carries nothing appended.
            file = clean_image(file, max_bytes=DOCUMENT_MAX_BYTES)
        url = ""
    elif not url:
        raise ValidationError({"url": "Indiquez l'adresse du lien ou de la vidéo."})
    else:
        file = None
    resource = Resource(initiative=initiative, kind=kind, title=title, description=description, url=url,
                        created_by=_person(author))
    if file:
        resource.file = file
    resource.full_clean(exclude=["initiative"])
    resource.save()
    return resource


def _person(user):
    return user if getattr(user, "is_authenticated", False) else None
