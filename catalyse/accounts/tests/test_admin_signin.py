"""The Django admin has no sign-in of its own: the site's sign-in (throttling, second factor, audit) is the only
way in, and an administrator can reset a person's second factor."""

import pyotp
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from catalyse.accounts import services
from catalyse.accounts.models import AuditEntry, User

from .conftest import PASSWORD, enable_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    user = User.objects.create_superuser(email="admin@exemple.fr", password=PASSWORD, email_verified=True)
    enable_second_factor(user)
    return user


def test_the_admin_sign_in_page_sends_to_the_site_sign_in(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/admin/accounts/user/"


def test_a_password_posted_to_the_admin_sign_in_opens_no_session(client, superuser):
    response = client.post("/admin/login/", {"username": superuser.email, "password": PASSWORD, "next": "/admin/"})
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_admin_needs_a_session_that_passed_the_second_factor(client, superuser):
    client.force_login(superuser)  # a session opened without the code (another path than the sign-in page)
    assert client.get("/admin/").status_code == 302
    client.logout()
    client.post(reverse("accounts:login") + "?next=/admin/", {"email": superuser.email, "password": PASSWORD})
    response = client.post(reverse("accounts:login_code") + "?next=/admin/",
                           {"code": pyotp.TOTP(superuser.totp_secret).now()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_without_a_second_factor_reach_the_admin_after_the_site_sign_in(client):
    User.objects.create_superuser(email="sans-code@exemple.fr", password=PASSWORD, email_verified=True)
    client.post(reverse("accounts:login"), {"email": "sans-code@exemple.fr", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200


def test_an_administrator_resets_a_persons_second_factor_and_it_is_audited(superuser, member):
    services.totp_begin(member)
    services.totp_confirm(member, pyotp.TOTP(member.totp_secret).now())
    admin_client = Client()
    admin_client.force_login(superuser)
    session = admin_client.session
    session[services.SECOND_FACTOR_PASSED] = True
    session.save()
    response = admin_client.post(reverse("admin:accounts_user_changelist"),
                                 {"action": "second_factor_reset", "_selected_action": [member.pk]})
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.totp_enabled and not member.totp_secret
    entry = AuditEntry.objects.filter(action="account", object_id=str(member.pk)).latest("pk")
    assert entry.actor == superuser and entry.changes["totp_enabled"] == [True, False]
    assert mail.outbox[-1].to == [member.email]  # a reset they did not ask for does not go unnoticed
