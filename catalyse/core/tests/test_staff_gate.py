"""Every page for the staff answers alike: visitors are sent to sign in, signed-in people without the role
get 403, the role opens it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ANIMATOR_PAGES = ["actors:import", "actors:duplicates", "accounts:moderation", "design"]


@pytest.fixture
def administrator(db):
    from catalyse.accounts.models import Role
    from catalyse.accounts.tests.factories import UserFactory

    return UserFactory(role=Role.ADMIN)


@pytest.mark.parametrize("name", [*ANIMATOR_PAGES, "accounts:audit"])
def test_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("name", [*ANIMATOR_PAGES, "accounts:audit"])
def test_members_without_the_role_get_403(client, member, name):
    client.force_login(member)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ANIMATOR_PAGES)
def test_animators_open_animator_pages_but_not_the_audit_log(client, animator, name):
    client.force_login(animator)
    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("accounts:audit")).status_code == 403


@pytest.mark.parametrize("name", [*ANIMATOR_PAGES, "accounts:audit"])
def test_administrators_open_every_staff_page(client, administrator, name):
    client.force_login(administrator)
    assert client.get(reverse(name)).status_code == 200
