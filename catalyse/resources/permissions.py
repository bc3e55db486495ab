"""Who sees and edits resources (see docs/resources.md).

Visibility is the resource's own setting within what its owner allows:
- public   → whoever sees its owner (an initiative for partners only keeps its resources for them too; a
  draft event's, for its organisers);
- members  → signed-in members of the network who see its owner;
- private  → the owner's insiders: the organisation's people, the initiative's partners and creator, the
  event's organisers and — once it is published — the people registered (confirmed), with their account or
  its address (events.queries.registered_event_ids, as on the event page).
The person who added a resource always sees it. Editors: the owning organisation's editors, the owning
initiative's editors and current partners, the owning event's organisers, animators (network resources:
animators only). Tools (the toolbox) are public; the network's animators add, change and delete them."""

from django.db.models import Q

from catalyse.actors.models import Membership, MembershipRole, Organisation
from catalyse.core import files, permissions
from catalyse.events.models import Event
from catalyse.events.permissions import is_organiser, organiser_q
from catalyse.events.queries import registered_event_ids
from catalyse.initiatives.models import Initiative
from catalyse.initiatives.permissions import initiative_policy, partner_initiative_ids

from .models import Collection, Resource, Tool, Visibility


def _insiders_q(user) -> Q:
    orgs = Membership.objects.filter(user=user).values("organisation_id")
    return (
        Q(created_by=user)
        | Q(owner_organisation__in=orgs)
        | Q(owner_initiative__in=partner_initiative_ids(user))
        | Q(owner_initiative__created_by=user)
        | organiser_q(user, prefix="owner_event__")
        | Q(owner_event__in=registered_event_ids(user))
    )


class ResourcePolicy(permissions.Policy):
    def visible_q(self, user):
        organisations = permissions.visible_queryset(user, Organisation.objects.all()).values("pk")
        initiatives = permissions.visible_queryset(user, Initiative.objects.all()).values("pk")
        events = permissions.visible_queryset(user, Event.objects.all()).values("pk")
        owner_seen = (
            (Q(owner_organisation__isnull=True) | Q(owner_organisation__in=organisations))
            & (Q(owner_initiative__isnull=True) | Q(owner_initiative__in=initiatives))
            & (Q(owner_event__isnull=True) | Q(owner_event__in=events))
        )
        if not permissions.is_member(user):
            return owner_seen & Q(visibility=Visibility.PUBLIC)
        return (owner_seen & Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS])) | _insiders_q(user)

    def can_edit(self, user, obj) -> bool:
        if obj.owner_organisation_id:
            return can_publish_for_organisation(user, obj.owner_organisation)
        if obj.owner_initiative_id:
            return can_publish_for_initiative(user, obj.owner_initiative)
        if obj.owner_event_id:
            return can_publish_for_event(user, obj.owner_event)
        return False  # network resources: animators only (the permission module lets them through)

    def object_roles(self, user, obj) -> set[str]:
        if obj.owner_organisation_id and can_publish_for_organisation(user, obj.owner_organisation):
            return {permissions.EDITOR}
        if obj.owner_event_id and can_publish_for_event(user, obj.owner_event):
            return {permissions.EDITOR}
        if obj.owner_initiative_id and can_publish_for_initiative(user, obj.owner_initiative):
            return {permissions.PARTNER}
        return set()


class ToolPolicy(permissions.Policy):
    """A service of the toolbox is the network's: everyone sees it; animators (whom the permission module lets
    through before asking the policy) change and delete it, nobody else."""

    def can_edit(self, user, obj) -> bool:
        return False

    def can_delete(self, user, obj) -> bool:
        return False


def can_add_tool(user) -> bool:
    """The network's animators keep the toolbox."""
    return permissions.is_animator(user)


def can_publish_for_organisation(user, organisation: Organisation) -> bool:
    return (
        permissions.is_member(user)
        and Membership.objects.filter(user=user, organisation=organisation, role=MembershipRole.EDITOR).exists()
    )


def can_publish_for_initiative(user, initiative: Initiative) -> bool:
    if not permissions.is_member(user):
        return False
    return (
        initiative_policy.can_edit(user, initiative)
        or initiative.partnerships.filter(left_on__isnull=True, organisation__memberships__user=user).exists()
    )


def can_publish_for_event(user, event: Event) -> bool:
    """The event's organisers (its creator, its organising organisation's editors, animators)."""
    return permissions.is_member(user) and is_organiser(user, event)


permissions.register(Resource, ResourcePolicy())
permissions.register(Collection, permissions.Policy())
permissions.register(Tool, ToolPolicy())
files.register(Resource, "file")
# Documents added before the resource library existed stayed where the initiatives app put them.
files.register(Resource, "file", folder="initiatives/resources/")


def can_manage_collections(user) -> bool:
    """Collections are the network's curation: its animators create and describe them; whoever may publish a
    resource files it in them from the resource's form."""
    return permissions.is_animator(user)
