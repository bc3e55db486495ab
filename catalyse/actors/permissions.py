from django.db.models import Q

from catalyse.core import files, permissions

from .models import Membership, MembershipRole, Organisation, PublicationStatus


class OrganisationPolicy(permissions.Policy):
    """Published organisations are public. Unpublished ones (draft, pending, rejected) are seen by their
    members and animators only. Editors of an organisation edit it."""

    def visible_q(self, user):
        q = Q(status=PublicationStatus.PUBLISHED)
        if permissions.is_member(user):
            # A subquery, not a join: the visible set must stay one row per organisation.
            q |= Q(pk__in=Membership.objects.filter(user=user).values("organisation_id")) | Q(created_by=user)
        return q

    def can_view(self, user, obj) -> bool:
        if obj.status == PublicationStatus.PUBLISHED:
            return True
        return permissions.is_member(user) and (
            obj.created_by_id == user.pk or obj.memberships.filter(user=user).exists()
        )

    def can_edit(self, user, obj) -> bool:
        return obj.memberships.filter(user=user, role=MembershipRole.EDITOR).exists()

    def object_roles(self, user, obj) -> set[str]:
        role = obj.memberships.filter(user=user).values_list("role", flat=True).first()
        if role is None:
            return set()
        return {permissions.EDITOR} if role == MembershipRole.EDITOR else {permissions.ORGANISATION_MEMBER}


permissions.register(Organisation, OrganisationPolicy())
files.register(Organisation, "logo")
