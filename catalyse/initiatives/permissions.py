"""Who sees and edits initiatives. Visibility is a filter in the query (visible_q), so that every
channel (pages, API, exports, feeds, search, graph) shares it and nothing leaks.

- published + public   → everyone
- published + members  → signed-in members of the network
- published + partners → people in an organisation that is or was a partner, and the creator
- unpublished          → the creator, people of partner organisations, animators
Editors: the creator, editors of an organisation carrying the initiative (role porteur), animators.
Sheets follow their initiative (resources have their own policy:
catalyse.resources). A partnership is seen with its initiative and its organisation:
an organisation still unpublished (pending, rejected) is named only to those who may see it, on every channel
that lists partners."""

from django.db.models import Q

from catalyse.actors.models import Membership, MembershipRole, Organisation, PublicationStatus
from catalyse.core import files, permissions

from .models import Initiative, Partnership, PracticeSheet, Revision, Role, StageChange, Visibility


def partner_initiative_ids(user):
    """Initiatives where one of `user`'s organisations is or was a partner (a subquery)."""
    orgs = Membership.objects.filter(user=user).values("organisation_id")
    return Partnership.objects.filter(organisation_id__in=orgs).values("initiative_id")


class InitiativePolicy(permissions.Policy):
    def visible_q(self, user):
        published = Q(publication=PublicationStatus.PUBLISHED)
        if not permissions.is_member(user):
            return published & Q(visibility=Visibility.PUBLIC)
        return (
            (published & Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS]))
            | Q(pk__in=partner_initiative_ids(user))
            | Q(created_by=user)
        )

    def can_edit(self, user, obj) -> bool:
        if obj.created_by_id == user.pk:
            return True
        editors_orgs = Membership.objects.filter(user=user, role=MembershipRole.EDITOR).values("organisation_id")
        return obj.partnerships.filter(role=Role.PORTEUR, organisation_id__in=editors_orgs).exists()


class InitiativePartPolicy(permissions.Policy):
    """For objects that belong to an initiative: visible and editable with it."""

    def visible_q(self, user):
        q = initiative_policy.visible_q(user)
        return Q(initiative__in=Initiative.objects.filter(q).values("pk"))

    def can_edit(self, user, obj) -> bool:
        return initiative_policy.can_edit(user, obj.initiative)


class PartnershipPolicy(InitiativePartPolicy):
    def visible_q(self, user):
        organisations = permissions.visible_queryset(user, Organisation.objects.all()).values("pk")
        return super().visible_q(user) & Q(organisation__in=organisations)


initiative_policy = InitiativePolicy()
permissions.register(Initiative, initiative_policy)
permissions.register(Partnership, PartnershipPolicy())
for part in (PracticeSheet, StageChange, Revision):
    permissions.register(part, InitiativePartPolicy())
files.register(Initiative, "cover")
