"""Who sees and organises an event.

- a published event is public; a draft is seen by its organisers only;
- organisers — the event's creator, editors of its organising organisation, animators (core) — edit it, see
  every registration and export them; visitors see only the participants who chose to show their name.
"""

from django.db.models import Q, QuerySet

from catalyse.actors.models import Membership, MembershipRole
from catalyse.core import permissions

from .models import Event, EventStatus


def organiser_q(user, prefix: str = "") -> Q:
    """Events `user` organises, as a filter (`prefix`: the path to the event, e.g. "owner_event__"); for a
    signed-in member (animators organise every event: the permission module lets them through)."""
    editors_of = Membership.objects.filter(user=user, role=MembershipRole.EDITOR).values("organisation_id")
    return Q(**{f"{prefix}created_by": user}) | Q(**{f"{prefix}organiser__in": editors_of})


class EventPolicy(permissions.Policy):
    def visible_q(self, user):
        q = Q(status=EventStatus.PUBLISHED)
        return q | organiser_q(user) if permissions.is_member(user) else q

    def can_edit(self, user, obj) -> bool:
        return Event.objects.filter(organiser_q(user), pk=obj.pk).exists()

    def object_roles(self, user, obj) -> set[str]:
        return {permissions.EDITOR} if permissions.is_member(user) and self.can_edit(user, obj) else set()


def is_organiser(user, event: Event) -> bool:
    """Organisers see every registration, export them and record attendance."""
    return permissions.can_edit(user, event)


def events_organised_by(user) -> QuerySet[Event]:
    """The events `user` organises: all of them for animators, none for visitors."""
    if permissions.is_animator(user):
        return Event.objects.all()
    if not permissions.is_member(user):
        return Event.objects.none()
    return Event.objects.filter(organiser_q(user))


def can_create_event(user) -> bool:
    """The network's animators run its calendar."""
    return permissions.is_animator(user)


permissions.register(Event, EventPolicy())
