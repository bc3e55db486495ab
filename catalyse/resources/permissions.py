"""Who sees and edits resources (see docs/resources.md).

Visibility is the resource's own setting within what its owner allows:
- public   → whoever sees its owner (an initiative for partners only keeps its resources for them too);
- members  → signed-in members of the network who see its owner;
- private  → the owner's insiders: the organisation's people, the initiative's partners and creator.
The person who added a resource always sees it. Editors: the owning organisation's editors, the owning
initiative's editors and current partners, animators (network resources: animators only).
Tools (the toolbox) are public and edited by animators (the default policy)."""

from django.db.models import Q

from catalyse.actors.models import Membership, MembershipRole, Organisation
from catalyse.core import files, permissions
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
    )


class ResourcePolicy(permissions.Policy):
    def visible_q(self, user):
        organisations = permissions.visible_queryset(user, Organisation.objects.all()).values("pk")
        initiatives = permissions.visible_queryset(user, Initiative.objects.all()).values("pk")
        owner_seen = (Q(owner_organisation__isnull=True) | Q(owner_organisation__in=organisations)) & (
            Q(owner_initiative__isnull=True) | Q(owner_initiative__in=initiatives)
        )
        if not permissions.is_member(user):
            return owner_seen & Q(visibility=Visibility.PUBLIC)
        return (owner_seen & Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS])) | _insiders_q(user)

    def can_edit(self, user, obj) -> bool:
        if obj.owner_organisation_id:
            return can_publish_for_organisation(user, obj.owner_organisation)
        if obj.owner_initiative_id:
            return can_publish_for_initiative(user, obj.owner_initiative)
        return False  # network resources: animators only (the permission module lets them through)

    def object_roles(self, user, obj) -> set[str]:
        if obj.owner_organisation_id and can_publish_for_organisation(user, obj.owner_organisation):
            return {permissions.EDITOR}
        if obj.owner_initiative_id and can_publish_for_initiative(user, obj.owner_initiative):
            return {permissions.PARTNER}
        return set()


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


permissions.register(Resource, ResourcePolicy())
permissions.register(Collection, permissions.Policy())
permissions.register(Tool, permissions.Policy())
files.register(Resource, "file")
# Documents added before the resource library existed stayed where the initiatives app put them.
files.register(Resource, "file", folder="initiatives/resources/")
