"""Writes of the events app: events and their programme, registrations with capacity and waiting list,
attendance. Every write is audited; edits of an event are version-checked (core.concurrency).

The person is e-mailed once the write commits (a rolled back registration sends nothing): their place or their
rank on the waiting list, then their promotion, whatever freed the place; each e-mail carries their personal
link to manage the registration without an account (links.py).

Registrations and cancellations of one event are serialised by locking the event's row
(`select_for_update`; SQLite serialises writers through its IMMEDIATE transactions): the count of confirmed
places and the waiting list's order stay right when many people register at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalyse.accounts.audit import Action, audit_changes, audit_record, audit_snapshot
from catalyse.actors.models import Organisation
from catalyse.core.concurrency import versioned_update
from catalyse.core.middleware import client_ip
from catalyse.core.ratelimit import rate_limit
from catalyse.core.slugs import unique_slug

from .ical import location
from .links import absolute, registration_url
from .models import Event, EventStatus, Registration, RegistrationStatus, Session, SessionKind
from .queries import registrations_of, waiting_rank

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


def _span(event: Event) -> str:
    """The event's times as people read them (Europe/Paris)."""
    fmt = "j F Y, G\\hi"
    return _("du %(start)s au %(end)s") % {
        "start": date_format(timezone.localtime(event.starts_at), fmt),
        "end": date_format(timezone.localtime(event.ends_at), fmt),
    }


def _event_clean(event: Event) -> None:
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        raise ValidationError({"ends_at": _("La fin de l'événement précède son début.")})


def _programme_within(event: Event) -> None:
    """Sessions stay within the event's times (checked after a change of either)."""
    outside = event.sessions.filter(Q(starts_at__lt=event.starts_at) | Q(ends_at__gt=event.ends_at)).first()
    if outside is not None:
        raise ValidationError(
            {
                "ends_at": _(
                    "La séance « %(title)s » sortirait des dates de l'événement (%(span)s) : changez aussi le "
                    "programme."
                )
                % {"title": outside.title, "span": _span(event)}
            }
        )


@transaction.atomic
def event_create(
    *, title: str, starts_at, ends_at, created_by=None, slug: str = "", sessions: Sequence[SessionRow] = (), **fields
) -> Event:
    """A draft unless `status` says otherwise; the slug is derived from the title and the year. `sessions`: its
    programme (see programme_save)."""
    event = Event(title=title, starts_at=starts_at, ends_at=ends_at, created_by=_person(created_by))
    _apply(event, fields, EVENT_FIELDS + ("is_fictitious",))
    event.slug = slug or unique_slug(Event, f"{title} {timezone.localtime(starts_at).year}")
    _event_clean(event)
    event.full_clean()
    event.save()
    audit_record(Action.CREATE, obj=event, actor=created_by)
    if sessions:
        programme_save(event, rows=sessions, actor=created_by)
    return event


@transaction.atomic
def event_update(
    event: Event,
    *,
    actor=None,
    expected_version: int | None = None,
    sessions: Sequence[SessionRow] | None = None,
    remove_sessions: Iterable[int] = (),
    **fields,
) -> Event:
    """Change an event; raises ConflictError if someone saved it since `expected_version` (None skips the check).
    With `sessions` (and `remove_sessions`), its programme is written too (programme_save), in the same
    transaction. Sessions must stay within the event's times. More places promote people from the waiting
    list."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    versioned_update(event, expected_version=expected_version, fields=fields, actor=actor, prepare=_event_clean)
    if sessions is not None or remove_sessions:
        programme_save(event, rows=sessions or (), remove=remove_sessions, actor=actor)
    _programme_within(event)
    if "capacity" in fields:
        _promote(Event.objects.select_for_update().get(pk=event.pk), actor=actor)
    return event


def event_publish(event: Event, *, actor=None) -> Event:
    return event_update(event, actor=actor, status=EventStatus.PUBLISHED)


# Programme -------------------------------------------------------------------------------------------------------


@dataclass
class SessionRow:
    """One line of the programme as an organiser writes it: `id` names a session of the event to change, None
    adds one."""

    title: str
    starts_at: datetime
    ends_at: datetime
    kind: str = SessionKind.PLENARY
    place: str = ""
    description: str = ""
    speakers: Sequence[Organisation] = ()
    order: int = 0
    id: int | None = None

    def fields(self) -> dict:
        return {name: getattr(self, name) for name in SESSION_FIELDS}


def _session_clean(session: Session) -> None:
    if session.ends_at < session.starts_at:
        raise ValidationError({"ends_at": _("La séance finit avant de commencer.")})
    event = session.event
    if session.starts_at < event.starts_at or session.ends_at > event.ends_at:
        raise ValidationError(
            {"starts_at": _("La séance doit se tenir pendant l'événement (%(span)s).") % {"span": _span(event)}}
        )
    session.full_clean()


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


def _attached(session: Session) -> bool:
    """Whether people chose this session as their group, or other apps' records (workshop boards) hang on it;
    this app reaches them through the model's relations, without naming them."""
    if session.registrations.exclude(status=RegistrationStatus.CANCELLED).exists():
        return True
    return any(
        relation.related_model._default_manager.filter(**{relation.field.name: session}).exists()
        for relation in Session._meta.related_objects
        if relation.one_to_many and relation.related_model is not Registration
    )


@transaction.atomic
def session_delete(session: Session, *, actor=None) -> None:
    """Take a session off the programme; refused while registrations chose it or workshop boards hang on it."""
    if _attached(session):
        raise ValidationError(
            _(
                "La séance « %(title)s » reste au programme : des participants l'ont choisie ou des tableaux "
                "d'atelier y sont rattachés."
            )
            % {"title": session.title}
        )
    audit_record(Action.DELETE, obj=session, actor=actor, changes={"title": session.title})
    session.delete()


def _session_changed(session: Session, row: SessionRow) -> bool:
    return any(getattr(session, name) != value for name, value in row.fields().items()) or {
        o.pk for o in session.speakers.all()
    } != {o.pk for o in row.speakers}


@transaction.atomic
def programme_save(event: Event, *, rows: Sequence[SessionRow], remove: Iterable[int] = (), actor=None) -> None:
    """Write the programme as the form lists it: a row with an `id` changes that session (when something
    changed), a row without adds one, the sessions in `remove` leave the programme. Each error names its
    session ("Séance « Plénière » : …"); nothing is written unless every row is right."""
    existing = {session.pk: session for session in event.sessions.all()}
    remove = set(remove)
    errors = []
    for row in rows:
        if row.id is not None and row.id not in existing:
            errors.append(_("Séance « %(title)s » : elle n'appartient pas à cet événement.") % {"title": row.title})
            continue
        if row.id in remove:
            continue
        try:
            if row.id is None:
                session_create(event=event, actor=actor, speakers=row.speakers, **row.fields())
            elif _session_changed(existing[row.id], row):
                session_update(existing[row.id], actor=actor, speakers=row.speakers, **row.fields())
        except ValidationError as error:
            message = " ".join(error.messages)
            errors.append(_("Séance « %(title)s » : %(errors)s") % {"title": row.title, "errors": message})
    for pk in sorted(remove & existing.keys()):
        try:
            session_delete(existing[pk], actor=actor)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"sessions": errors})


# Registrations ----------------------------------------------------------------------------------------------------


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _next_position(event: Event) -> int:
    return (event.registrations.aggregate(n=Max("position"))["n"] or 0) + 1


class AlreadyRegistered(ValidationError):
    """The address is already registered to the event (`registration`, still active)."""

    def __init__(self, registration: Registration):
        super().__init__({"email": _("Cette adresse est déjà inscrite à cet événement.")})
        self.registration = registration


# What each e-mail says (events/email/registration.txt); "confirmed" and "waiting" are also statuses.
MAIL_KINDS = ("confirmed", "waiting", "promoted", "reminder")


def _mail_after_commit(registration: Registration, kind: str) -> None:
    """E-mail the person once the transaction commits. A failing mail server is logged (robust) and does not
    undo the write, already committed."""
    pk = registration.pk
    transaction.on_commit(lambda: _mail_send(pk, kind), robust=True)


def _mail_send(pk: int, kind: str) -> None:
    registration = Registration.objects.select_related("event__territory", "session").filter(pk=pk).first()
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return  # cancelled or erased since: nothing to tell
    event = registration.event
    # Sent from a request or a worker alike: French, times in Europe/Paris.
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        context = {
            "kind": kind,
            "registration": registration,
            "event": event,
            "when": _span(event),
            "where": location(event),
            "rank": waiting_rank(registration) if registration.status == RegistrationStatus.WAITING else None,
            "event_link": absolute(event.get_absolute_url()),
            "ics_link": absolute(reverse("events:ics", args=[event.slug])),
            "manage_link": absolute(registration_url(registration)),
        }
        subject, _newline, body = render_to_string("events/email/registration.txt", context).strip().partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", None, [registration.email])


def _promote(event: Event, *, actor=None) -> list[Registration]:
    """Give the free places to the waiting list, first come first served, and tell each person promoted.
    `event` is locked by the caller."""
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
        _mail_after_commit(registration, "promoted")
    return promoted


def _registration_clean(event: Event, session: Session | None) -> None:
    if not event.is_published:
        raise ValidationError(_("Les inscriptions à cet événement ne sont pas ouvertes."))
    if event.is_over:
        raise ValidationError(_("Cet événement est terminé : les inscriptions sont closes."))
    if session is not None and (session.event_id != event.pk or not session.is_workshop):
        raise ValidationError({"session": _("Choisissez un atelier de cet événement.")})


def _registration_throttle(request: HttpRequest) -> None:
    """Registrations sent through the site, counted per IP (anonymous visitors register too)."""
    limit = int(getattr(settings, "CATALYSE_EVENT_REGISTRATIONS_PER_IP", 20))
    result = rate_limit(f"events:register:ip:{client_ip(request) or 'unknown'}", limit, 3600)
    if not result.allowed:
        raise ValidationError(
            ngettext(
                "Trop d'inscriptions envoyées depuis cette connexion : réessayez dans %(minutes)s minute.",
                "Trop d'inscriptions envoyées depuis cette connexion : réessayez dans %(minutes)s minutes.",
                result.retry_after_minutes,
            )
            % {"minutes": result.retry_after_minutes},
            code="throttled",
        )


def _remind(registration: Registration) -> None:
    """E-mail a registered person their link again; a few times an hour at most, so that registering someone's
    address over and over does not flood their inbox."""
    limit = int(getattr(settings, "CATALYSE_EVENT_REMINDERS_PER_HOUR", 3))
    if rate_limit(f"events:reminder:{registration.pk}", limit, 3600).allowed:
        _mail_after_commit(registration, "reminder")


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
    request: HttpRequest | None = None,
    notify: bool = True,
) -> Registration:
    """Register a person: a confirmed place while there are some, else the waiting list; once committed, an
    e-mail tells them which, with their personal link.

    One registration per address and event: registering again after a cancellation takes a new place at the
    end of the line. Registering an active address again raises AlreadyRegistered and e-mails that person a
    reminder of their link instead: a page can answer as for a new registration and tell nobody whether the
    address was registered. Registrations sent through the site (`request`) are limited per IP
    (ValidationError with code "throttled"). `notify=False` sends nothing (the demo's made-up people)."""
    if request is not None:
        _registration_throttle(request)
    try:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event.pk)
            _registration_clean(event, session)
            email = email.strip()
            registration = event.registrations.filter(email__iexact=email).first()
            if registration is not None and registration.status != RegistrationStatus.CANCELLED:
                raise AlreadyRegistered(registration)
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
            audit_record(
                Action.CREATE, obj=registration, actor=registration.user, changes={"status": registration.status}
            )
            if notify:
                _mail_after_commit(registration, registration.status)
    except AlreadyRegistered as duplicate:
        if notify:
            _remind(duplicate.registration)  # outside the rolled back block, or it would be dropped with it
        raise
    return registration


@transaction.atomic
def registration_cancel(registration: Registration, *, actor=None) -> list[Registration]:
    """Cancel a registration; a freed place goes to the first person of the waiting list (returned, and
    e-mailed). A finished event's registrations stay as they were."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration.refresh_from_db()
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    if event.is_over:
        raise ValidationError(_("Cet événement est terminé : l'inscription ne peut plus être annulée."))
    before = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    audit_record(Action.UPDATE, obj=registration, actor=actor, changes={"status": [before, registration.status]})
    return _promote(event, actor=actor)


@transaction.atomic
def registration_public_name_set(registration: Registration, *, public_name: bool, actor=None) -> Registration:
    """Show or hide the person's name on the public list of participants: consent withdrawn as easily as given,
    the place kept."""
    before = registration.public_name
    if before != public_name:
        registration.public_name = public_name
        registration.save(update_fields=["public_name", "updated_at"])
        audit_record(Action.UPDATE, obj=registration, actor=actor, changes={"public_name": [before, public_name]})
    return registration


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
