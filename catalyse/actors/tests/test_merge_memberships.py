"""A merge carries nobody's membership unless the animator chooses it: proposing a duplicate of an organisation
(whose creator is its editor) must not become a way to edit the original."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalyse.accounts.models import AuditEntry, Invitation
from catalyse.accounts.services import invitation_create
from catalyse.actors.models import Membership, MembershipRole
from catalyse.actors.services import organisation_merge, organisation_propose
from catalyse.core import permissions
from catalyse.initiatives.models import Role
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

from .factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(outsider):
    """A copy of the original proposed by someone with no rights on it: pending, so they are its editor."""
    return organisation_propose(user=outsider, name="Alliance d'essai", profile="interet_general")


def test_proposing_a_duplicate_that_gets_merged_gives_no_rights_on_the_original(org, duplicate, outsider, animator):
    carried = InitiativeFactory()
    PartnershipFactory(initiative=carried, organisation=org, role=Role.PORTEUR)
    assert permissions.can_edit(outsider, duplicate)
    removed_id = str(duplicate.pk)

    organisation_merge(keep=org, remove=duplicate, merged_by=animator)

    assert not Membership.objects.filter(user=outsider).exists()
    assert not permissions.can_edit(outsider, org) and not permissions.can_edit(outsider, carried)
    entry = AuditEntry.objects.get(action="delete", object_id=removed_id)
    assert entry.changes["members_carried"] == [] and entry.changes["members_not_carried"] == [outsider.email]


def test_the_animator_carries_the_people_they_choose_with_their_role(org, duplicate, outsider, member, animator):
    chosen = MembershipFactory(organisation=duplicate, role=MembershipRole.EDITOR).user
    MembershipFactory(organisation=duplicate, user=member, role=MembershipRole.EDITOR)  # member of both

    organisation_merge(keep=org, remove=duplicate, merged_by=animator, carried_user_ids=[chosen.pk, member.pk])

    roles = dict(org.memberships.values_list("user__email", "role"))
    assert roles[chosen.email] == MembershipRole.EDITOR and roles[member.email] == MembershipRole.EDITOR
    assert outsider.email not in roles
    entry = AuditEntry.objects.get(action="permission", object_id=str(org.pk))
    assert entry.actor == animator and set(entry.changes["members"]) == {f"{chosen.email} (editor)",
                                                                         f"{member.email} (editor)"}


def test_only_people_of_the_removed_organisation_can_be_carried(org, duplicate, animator):
    stranger = MembershipFactory().user
    with pytest.raises(ValidationError):
        organisation_merge(keep=org, remove=duplicate, merged_by=animator, carried_user_ids=[stranger.pk])
    assert not org.memberships.filter(user=stranger).exists()


def test_open_invitations_of_the_removed_organisation_do_not_follow_it(org, duplicate, outsider, animator):
    invitation_create(organisation=duplicate, email="complice@example.org", role="editor", invited_by=outsider)
    organisation_merge(keep=org, remove=duplicate, merged_by=animator)
    assert not Invitation.objects.filter(email="complice@example.org").exists()


def test_the_merge_page_shows_the_people_who_could_move_and_ticks_none(client, org, duplicate, outsider, animator):
    client.force_login(animator)
    page = client.get(reverse("actors:merge"), {"garder": org.pk, "retirer": duplicate.pk}).content.decode()
    assert outsider.email in page
    assert f'name="membres" value="{outsider.pk}"' in page and "checked" not in page

    client.post(reverse("actors:merge"), {"garder": org.pk, "retirer": duplicate.pk})
    assert not org.memberships.filter(user=outsider).exists()


def test_a_person_ticked_on_the_merge_page_is_carried(client, org, duplicate, outsider, animator):
    client.force_login(animator)
    client.post(reverse("actors:merge"), {"garder": org.pk, "retirer": duplicate.pk, "membres": [outsider.pk]})
    assert org.memberships.get(user=outsider).role == MembershipRole.EDITOR
