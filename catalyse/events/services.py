"""Writes of the events app: events and their programme, registrations with capacity and waiting list,
attendance. Every write is audited.

Registrations and cancellations of one event are serialised by locking the event's row
(`select_for_update`; SQLite serialises writers through its IMMEDIATE transactions): the count of confirmed
places and the waiting list's order stay right when many people register at once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from catalyse.accounts.audit import Action, audit_changes, audit_record, audit_snapshot
from catalyse.core.slugs import unique_slug

from .models import Event, EventStatus, Registration, RegistrationStatus, Session
from .queries import registrations_of

EVENT_FIELDS = (
    "title",
    "kind",
    "summary",
    "description",
    "starts_at",
    "ends_at",
    "territory",
    "address",
    "online_url",
    "capacity",
    "organiser",
    "status",
)
SESSION_FIELDS = ("title", "kind", "starts_at", "ends_at", "place", "description", "order")


def _person(user):
    return user if getattr(user, "is_authenticated", False) else None


def _apply(obj, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(obj, name, value)


# Events ------------------------------------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, title: str, starts_at, ends_at, created_by=None, slug: str = "", **fields) -> Event:
    """A draft unless `status` says otherwise; the slug is derived from the title and the year."""
    event = Event(title=title, starts_at=starts_at, ends_at=ends_at, created_by=_person(created_by))
    _apply(event, fields, EVENT_FIELDS + ("is_fictitious",))
    event.slug = slug or unique_slug(Event, f"{title} {timezone.localtime(starts_at).year}")
    event.full_clean()
    event.save()
    audit_record(Action.CREATE, obj=event, actor=created_by)
    return event


@transaction.atomic
def event_update(event: Event, *, actor=None, **fields) -> Event:
    """Change an event; more places promote people from the waiting list."""
    before = audit_snapshot(event, fields)
    _apply(event, fields, EVENT_FIELDS)
    event.full_clean()
    event.save()
    audit_record(Action.UPDATE, obj=event, actor=actor, changes=audit_changes(before, event))
    if "capacity" in fields:
        _promote(Event.objects.select_for_update().get(pk=event.pk), actor=actor)
    return event


def event_publish(event: Event, *, actor=None) -> Event:
    return event_update(event, actor=actor, status=EventStatus.PUBLISHED)


# Programme -------------------------------------------------------------------------------------------------------


def _session_clean(session: Session) -> None:
    session.full_clean()
    event = session.event
    if session.starts_at < event.starts_at or session.ends_at > event.ends_at:
        raise ValidationError({"starts_at": _("Une séance se tient pendant l'événement.")})


@transaction.atomic
def session_create(*, event: Event, title: str, starts_at, ends_at, speakers=(), actor=None, **fields) -> Session:
    session = Session(event=event, title=title, starts_at=starts_at, ends_at=ends_at)
    _apply(session, fields, SESSION_FIELDS)
    _session_clean(session)
    session.save()
    session.speakers.set(speakers)
    audit_record(Action.CREATE, obj=session, actor=actor)
    return session


@transaction.atomic
def session_update(session: Session, *, actor=None, speakers=None, **fields) -> Session:
    before = audit_snapshot(session, fields)
    _apply(session, fields, SESSION_FIELDS)
    _session_clean(session)
    session.save()
    changes = audit_changes(before, session)
    if speakers is not None:
        session.speakers.set(speakers)
        changes["speakers"] = [str(o) for o in speakers]
    audit_record(Action.UPDATE, obj=session, actor=actor, changes=changes)
    return session


# Registrations ----------------------------------------------------------------------------------------------------


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _next_position(event: Event) -> int:
    return (event.registrations.aggregate(n=Max("position"))["n"] or 0) + 1


def _promote(event: Event, *, actor=None) -> list[Registration]:
    """Give the free places to the waiting list, first come first served. `event` is locked by the caller."""
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).order_by("position", "pk")
    if event.capacity is not None:
        waiting = waiting[: max(0, event.capacity - _confirmed_count(event))]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        audit_record(
            Action.UPDATE,
            obj=registration,
            actor=actor,
            changes={"status": [RegistrationStatus.WAITING, RegistrationStatus.CONFIRMED]},
        )
    return promoted


def _registration_clean(event: Event, session: Session | None) -> None:
    if not event.is_published:
        raise ValidationError(_("Les inscriptions à cet événement ne sont pas ouvertes."))
    if event.is_over:
        raise ValidationError(_("Cet événement est terminé : les inscriptions sont closes."))
    if session is not None and (session.event_id != event.pk or not session.is_workshop):
        raise ValidationError({"session": _("Choisissez un atelier de cet événement.")})


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    user=None,
    organisation=None,
    organisation_name: str = "",
    session: Session | None = None,
    public_name: bool = False,
) -> Registration:
    """Register a person: a confirmed place while there are some, else the waiting list.

    One registration per address and event: registering again after a cancellation takes a new place at the
    end of the line; registering twice is refused."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _registration_clean(event, session)
    email = email.strip()
    registration = event.registrations.filter(email__iexact=email).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise ValidationError({"email": _("Cette adresse est déjà inscrite à cet événement.")})
    full = event.capacity is not None and _confirmed_count(event) >= event.capacity
    registration = registration or Registration(event=event)
    registration.user = _person(user)
    registration.name, registration.email = name.strip(), email
    registration.organisation, registration.organisation_name = organisation, organisation_name.strip()
    registration.session, registration.public_name, registration.attended = session, public_name, False
    registration.status = RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
    registration.position = _next_position(event)
    registration.full_clean(validate_constraints=False)  # the database checks uniqueness under the lock
    registration.save()
    audit_record(Action.CREATE, obj=registration, actor=registration.user, changes={"status": registration.status})
    return registration


@transaction.atomic
def registration_cancel(registration: Registration, *, actor=None) -> list[Registration]:
    """Cancel a registration; a freed place goes to the first person of the waiting list (returned)."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration.refresh_from_db()
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    before = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    audit_record(Action.UPDATE, obj=registration, actor=actor, changes={"status": [before, registration.status]})
    return _promote(event, actor=actor)


@transaction.atomic
def attendance_mark(registration: Registration, *, attended: bool, actor=None) -> Registration:
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Seules les inscriptions confirmées peuvent être marquées présentes."))
    before = registration.attended
    registration.attended = attended
    registration.save(update_fields=["attended", "updated_at"])
    audit_record(Action.UPDATE, obj=registration, actor=actor, changes={"attended": [before, attended]})
    return registration


@transaction.atomic
def registrations_erase(*, user) -> int:
    """GDPR erasure of a person's registrations (their account's, and those made with its address):
    places to come are cancelled (the waiting list moves up), then every row is emptied of the person."""
    rows = list(registrations_of(user).select_related("event"))
    for registration in rows:
        if registration.event.starts_at > timezone.now():
            registration_cancel(registration, actor=user)
        registration.refresh_from_db()
        registration.user, registration.organisation_name = None, ""
        registration.name = _("Personne effacée")
        registration.email = f"supprime-{registration.pk}@supprime.invalid"
        registration.public_name = False
        registration.save()
        audit_record(Action.DELETE, obj=registration, actor=user, object_repr="inscription effacée")
    return len(rows)
