"""Sensitive account actions ask for the password (or a second-factor code) again: an open session alone, on a
borrowed or stolen browser, must not turn the second factor off, create a write token, change the address or
delete the account."""

import re

import pyotp
import pytest
from django.core import mail
from django.urls import reverse

from catalyse.accounts.models import ApiToken, AuditEntry, User

from .conftest import PASSWORD, enable_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def protected(client, member):
    enable_second_factor(member)
    client.force_login(member)
    return member


def _disable(client, **proof):
    return client.post(reverse("accounts:two_factor"), {"action": "disable", **proof})


def test_turning_the_second_factor_off_needs_more_than_the_session(client, protected):
    for proof in ({}, {"password": "faux"}, {"code": "000000"}):
        response = _disable(client, **proof)
        assert response.status_code == 200
        protected.refresh_from_db()
        assert protected.totp_enabled, proof


@pytest.mark.parametrize("proof", ["password", "code"])
def test_turning_the_second_factor_off_with_the_password_or_a_code(client, protected, proof):
    value = PASSWORD if proof == "password" else pyotp.TOTP(protected.totp_secret).now()
    assert _disable(client, **{proof: value}).status_code == 302
    protected.refresh_from_db()
    assert not protected.totp_enabled


def test_a_write_token_needs_the_password_again_a_read_token_does_not(client, member):
    client.force_login(member)
    url = reverse("accounts:tokens")
    client.post(url, {"name": "script", "scope": "write"})
    assert not ApiToken.objects.filter(scope="write").exists()
    client.post(url, {"name": "script", "scope": "write", "password": "faux"})
    assert not ApiToken.objects.filter(scope="write").exists()
    client.post(url, {"name": "script", "scope": "write", "password": PASSWORD})
    assert ApiToken.objects.filter(scope="write", user=member).exists()
    client.post(url, {"name": "lecture", "scope": "read"})
    assert ApiToken.objects.filter(scope="read", user=member).exists()


def test_deleting_the_account_accepts_a_code_instead_of_the_password(client, protected):
    client.post(reverse("accounts:delete"), {"code": pyotp.TOTP(protected.totp_secret).now()})
    assert not User.objects.get(pk=protected.pk).is_active


def test_wrong_passwords_on_a_confirmation_count_towards_the_sign_in_lockout(client, member):
    client.force_login(member)
    for _ in range(5):
        client.post(reverse("accounts:delete"), {"password": "faux"})
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 429
    assert User.objects.get(pk=member.pk).is_active
    assert AuditEntry.objects.filter(action="login_failed", object_repr=member.email).count() >= 5


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_changing_the_address_asks_for_the_password_and_a_link_sent_to_the_new_address(client, member):
    old = member.email
    client.force_login(member)
    url = reverse("accounts:email_change")
    assert client.get(url).status_code == 200
    client.post(url, {"new_email": "nouvelle@exemple.fr", "password": "faux"})
    assert not mail.outbox
    response = client.post(url, {"new_email": "Nouvelle@Exemple.fr", "password": PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == old  # not before the new address is confirmed
    assert mail.outbox[-1].to == ["nouvelle@exemple.fr"]
    client.get(_link(mail.outbox[-1]))
    member.refresh_from_db()
    assert member.email == member.username == "nouvelle@exemple.fr"
    assert mail.outbox[-1].to == [old]  # the old address is told
    assert AuditEntry.objects.filter(action="account", changes__email=[old, "nouvelle@exemple.fr"]).exists()


def test_changing_to_an_address_already_used_answers_the_same_and_changes_nothing(client, member, outsider):
    client.force_login(member)
    response = client.post(reverse("accounts:email_change"), {"new_email": outsider.email, "password": PASSWORD})
    assert response.status_code == 302
    assert not mail.outbox
    member.refresh_from_db()
    assert member.email != outsider.email
