import re

import pytest
from django.core import mail
from django.urls import reverse

from catalyse.accounts.models import AuditEntry, Invitation
from catalyse.actors.models import Membership, MembershipRole

pytestmark = pytest.mark.django_db


def _invite(client, org, email="invitee@exemple.fr", role=MembershipRole.MEMBER):
    return client.post(reverse("accounts:invite", args=[org.slug]), {"email": email, "role": role})


def test_an_editor_invites_by_email_and_the_link_creates_the_membership(client, org, owner, outsider):
    client.force_login(owner)
    assert _invite(client, org, outsider.email, MembershipRole.EDITOR).status_code == 302
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert Invitation.objects.get().token_hash not in link  # the link carries the token, the table its hash
    client.force_login(outsider)
    client.post(link)
    assert Membership.objects.get(user=outsider, organisation=org).role == MembershipRole.EDITOR
    assert AuditEntry.objects.filter(action="permission", object_id=str(org.pk)).count() == 2


def test_an_invitation_link_works_only_once(client, org, owner, outsider):
    client.force_login(owner)
    _invite(client, org)
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    client.force_login(outsider)
    client.post(link)
    assert client.get(link).status_code == 404


def test_a_plain_member_cannot_invite(client, org, member):
    client.force_login(member)
    assert _invite(client, org).status_code == 403
    assert not Invitation.objects.exists()


def test_an_outsider_cannot_invite_to_an_unpublished_organisation_nor_learn_it_exists(client, org, outsider):
    org.status = "pending"
    org.save()
    client.force_login(outsider)
    assert _invite(client, org).status_code == 404


def test_anonymous_visitor_is_asked_to_sign_in_before_accepting(client, org, owner):
    client.force_login(owner)
    _invite(client, org)
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    client.logout()
    response = client.get(link)
    assert response.status_code == 200 and "Se connecter" in response.content.decode()
    assert client.post(link).status_code == 200
    assert Membership.objects.filter(organisation=org).count() == 1


def test_an_editor_promotes_and_removes_members_and_it_is_audited(client, org, owner, member):
    client.force_login(owner)
    membership = Membership.objects.get(user=member)
    client.post(reverse("accounts:invite", args=[org.slug]), {"membership": membership.pk, "role": "editor"})
    assert Membership.objects.get(pk=membership.pk).role == MembershipRole.EDITOR
    client.post(reverse("accounts:invite", args=[org.slug]), {"membership": membership.pk, "action": "remove"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="permission", object_id=str(org.pk)).count() == 2


def test_an_editor_cannot_demote_themselves(client, org, owner):
    client.force_login(owner)
    own = Membership.objects.get(user=owner)
    client.post(reverse("accounts:invite", args=[org.slug]), {"membership": own.pk, "role": "member"})
    assert Membership.objects.get(pk=own.pk).role == MembershipRole.EDITOR


def test_roles_of_names_network_and_organisation_roles(org, owner, member, outsider, animator):
    from django.contrib.auth.models import AnonymousUser

    from catalyse.core import permissions

    assert permissions.roles_of(AnonymousUser(), org) == {permissions.VISITOR}
    assert permissions.roles_of(owner, org) == {permissions.MEMBER, permissions.EDITOR}
    assert permissions.roles_of(member, org) == {permissions.MEMBER, permissions.ORGANISATION_MEMBER}
    assert permissions.roles_of(outsider, org) == {permissions.MEMBER}
    assert permissions.ANIMATOR in permissions.roles_of(animator)
