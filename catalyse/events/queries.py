"""Reads of the events app: listings, the programme, participants as each person may see them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from catalyse.core import permissions
from catalyse.territories.models import Level, Territory

from .models import Event, EventStatus, Registration, RegistrationStatus, Session


def events_visible_to(user) -> QuerySet[Event]:
    return permissions.visible_queryset(user, Event.objects.select_related("territory", "organiser"))


def _within(territory: Territory) -> Q:
    """Events held in `territory` or anywhere below it."""
    return (
        Q(territory=territory)
        | Q(territory__region=territory)
        | Q(territory__departement=territory)
        | Q(territory__epci=territory)
    )


@dataclass
class EventFilters:
    kind: str = ""
    territory: Territory | None = None


def events_list(user, filters: EventFilters) -> tuple[list[Event], list[Event]]:
    """(upcoming, past) events `user` may see: upcoming soonest first, past most recent first. An event
    still running counts as upcoming."""
    qs = events_visible_to(user).annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.territory is not None:
        qs = qs.filter(_within(filters.territory))
    now = timezone.now()
    return list(qs.filter(ends_at__gte=now).order_by("starts_at", "pk")), list(
        qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    )


def event_regions() -> list[Territory]:
    """The régions where published events take place (the list's territory filter)."""
    held = Event.objects.filter(status=EventStatus.PUBLISHED, territory__isnull=False)
    return list(
        Territory.objects.filter(
            Q(pk__in=held.values("territory__region")) | Q(level=Level.REGION, pk__in=held.values("territory"))
        ).order_by("name")
    )


def upcoming_events(limit: int = 3) -> list[Event]:
    """The next published events, for the home page."""
    return list(
        Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=timezone.now())
        .select_related("territory")
        .order_by("starts_at", "pk")[:limit]
    )


def published_events() -> QuerySet[Event]:
    """What the public calendar feed and the API list: published events, latest programme first."""
    return (
        Event.objects.filter(status=EventStatus.PUBLISHED)
        .select_related("territory", "organiser")
        .order_by("-starts_at", "pk")
    )


def programme(event: Event) -> list[Session]:
    """The sessions in order, with their speakers and the workshop boards of each (workshops' `Board.session`)."""
    return list(event.sessions.prefetch_related("speakers", "boards").order_by("starts_at", "order", "pk"))


def boards_outside_programme(event: Event) -> list:
    """The event's workshop boards that belong to none of its sessions (the others show under their session)."""
    return list(event.boards.filter(session=None))


def workshop_sessions(event: Event) -> QuerySet[Session]:
    return event.sessions.filter(kind__in=Session.workshop_kinds()).order_by("starts_at", "order", "pk")


@dataclass
class Places:
    capacity: int | None
    confirmed: int
    waiting: int

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.confirmed)


def places(event: Event) -> Places:
    counts = event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    )
    return Places(capacity=event.capacity, **counts)


def public_participants(event: Event) -> list[Registration]:
    """Confirmed participants who chose to show their name: what everyone may see."""
    return list(
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, public_name=True)
        .select_related("organisation", "session")
        .order_by("name", "pk")
    )


@dataclass
class GroupList:
    session: Session | None  # None: the confirmed participants who chose no group
    registrations: list[Registration]


def group_lists(event: Event) -> list[GroupList]:
    """The confirmed participants of each workshop group, in the programme's order, then those without a group:
    the organisers' lists (callers check `permissions.is_organiser`)."""
    confirmed = (event.registrations.filter(status=RegistrationStatus.CONFIRMED)
                 .select_related("organisation").order_by("name", "pk"))
    by_session: dict[int | None, list[Registration]] = {}
    for registration in confirmed:
        by_session.setdefault(registration.session_id, []).append(registration)
    groups = [GroupList(s, by_session.pop(s.pk, []))
              for s in workshop_sessions(event)]
    # A session that stopped being a workshop keeps its people listed under its name, before the "no group" list.
    groups += [GroupList(s, by_session.pop(s.pk)) for s in event.sessions.filter(pk__in=[k for k in by_session if k])]
    if by_session.get(None):
        groups.append(GroupList(None, by_session[None]))
    return groups


def all_registrations(event: Event) -> QuerySet[Registration]:
    """Every registration, for the organisers only (callers check `permissions.is_organiser`)."""
    return event.registrations.select_related("organisation", "session").order_by("status", "position", "pk")


def registrations_of(user) -> QuerySet[Registration]:
    """A person's registrations: made with their account, or with its address."""
    q = Q(user=user)
    if user.email:
        q |= Q(email__iexact=user.email)
    return Registration.objects.filter(q)


def registered_event_ids(user) -> QuerySet:
    """The published events where `user` holds a confirmed place, by account or address (registrations_of): who
    counts as registered to an event, e.g. for its private resources. For a signed-in member."""
    return (
        registrations_of(user)
        .filter(status=RegistrationStatus.CONFIRMED, event__status=EventStatus.PUBLISHED)
        .values("event_id")
    )


def waiting_rank(registration: Registration) -> int:
    """Where a waiting registration stands in its event's waiting list (1: next to get a place)."""
    ahead = Q(position__lt=registration.position) | Q(position=registration.position, pk__lte=registration.pk)
    return registration.event.registrations.filter(ahead, status=RegistrationStatus.WAITING).count()


def registration_of(user, event: Event) -> Registration | None:
    """The signed-in person's active registration to `event`, if any."""
    if not permissions.is_member(user):
        return None
    return registrations_of(user).filter(event=event).exclude(status=RegistrationStatus.CANCELLED).first()


def event_resources(user, event: Event) -> QuerySet:
    """The resources the event owns or that are linked to it, that this person may see (the resources app owns
    the model: it is reached through the relation, without importing that app)."""
    model = event.resources.model
    owned_or_linked = model.objects.filter(Q(owner_event=event) | Q(events=event))
    return permissions.visible_queryset(user, model.objects.filter(pk__in=owned_or_linked.values("pk"))).order_by(
        "-created_at", "pk"
    )
