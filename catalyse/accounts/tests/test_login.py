import pyotp
import pytest
from django.core.cache import cache
from django.urls import reverse

from catalyse.accounts import services
from catalyse.accounts.models import AuditEntry, UserSession

from .conftest import PASSWORD, enable_second_factor

pytestmark = pytest.mark.django_db


def _login(client, email, password=PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"email": email, "password": password}, **extra)


def test_member_signs_in_by_email_and_the_session_is_listed(client, member):
    response = _login(client, member.email.upper())
    assert response.status_code == 302
    assert UserSession.objects.filter(user=member, session_key=client.session.session_key).exists()
    assert "cette session" in client.get(reverse("accounts:sessions")).content.decode()


def test_a_wrong_password_is_refused_and_written_to_the_audit_log(client, member):
    response = _login(client, member.email, "mauvais")
    assert "incorrect" in response.content.decode()
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.object_repr == member.email and entry.ip == "127.0.0.1"


def test_five_failures_lock_the_account_with_a_clear_message(client, member, settings):
    for _ in range(5):
        _login(client, member.email, "mauvais")
    response = _login(client, member.email)  # even the right password is refused during the lockout
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_from_one_address_lock_it_out_across_accounts(client, settings):
    settings.CATALYSE_LOGIN_FAILURES_PER_IP = 3
    for n in range(3):
        _login(client, f"inconnu{n}@exemple.fr", "mauvais")
    assert _login(client, "autre@exemple.fr", "x").status_code == 429


def test_a_lockout_from_another_address_does_not_lock_out_this_one_forever(client, member):
    for _ in range(5):
        _login(client, member.email, "mauvais", REMOTE_ADDR="10.0.0.9")
    cache.clear()  # the window has passed
    assert _login(client, member.email).status_code == 302


def test_logout_is_a_post_and_forgets_the_session(client, member):
    _login(client, member.email)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=member).exists()
    assert "_auth_user_id" not in client.session


def test_a_person_revokes_another_of_their_sessions(client, member):
    from django.test import Client

    other = Client()
    _login(other, member.email)
    _login(client, member.email)
    other_row = UserSession.objects.exclude(session_key=client.session.session_key).get(user=member)
    client.post(reverse("accounts:sessions"), {"session": other_row.pk})
    assert other.get(reverse("accounts:profile")).status_code == 302  # signed out: sent to the login page


def test_nobody_revokes_someone_elses_session(client, member, outsider):
    from django.test import Client

    victim = Client()
    _login(victim, member.email)
    row = UserSession.objects.get(user=member)
    client.force_login(outsider)
    client.post(reverse("accounts:sessions"), {"session": row.pk})
    assert UserSession.objects.filter(pk=row.pk).exists()


def test_two_factor_is_required_at_login_once_enabled(client, animator):
    enable_second_factor(animator)
    response = _login(client, animator.email)
    assert response.url.startswith(reverse("accounts:login_code"))
    assert "_auth_user_id" not in client.session
    client.post(reverse("accounts:login_code"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    client.post(reverse("accounts:login_code"), {"code": pyotp.TOTP(animator.totp_secret).now()})
    assert client.session["_auth_user_id"] == str(animator.pk)


def test_a_totp_code_cannot_be_replayed(animator):
    services.totp_begin(animator)
    code = pyotp.TOTP(animator.totp_secret).now()
    assert services.totp_verify(animator, code)
    assert not services.totp_verify(animator, code)


def test_two_factor_setup_page_shows_a_qr_code(client, animator):
    client.force_login(animator)
    client.post(reverse("accounts:two_factor"), {"action": "begin"})
    assert 'src="data:image/svg+xml' in client.get(reverse("accounts:two_factor")).content.decode()


def test_login_redirects_only_to_local_pages(client, member):
    response = client.post(reverse("accounts:login") + "?next=https://evil.example/",
                           {"email": member.email, "password": PASSWORD, "next": "https://evil.example/"})
    assert response.url == reverse("accounts:profile")


@pytest.fixture
def protected(animator):
    """An animator who enabled the second factor (codes of the current step may be used again in tests)."""
    enable_second_factor(animator)
    return animator


def _code_attempt(email, code):
    """A fresh sign-in with the right password, then one code: what an attacker holding the password does."""
    from django.test import Client

    client = Client()
    _login(client, email)
    return client, client.post(reverse("accounts:login_code"), {"code": code})


def test_wrong_codes_are_counted_per_account_across_sign_ins_and_checked_before_the_code(protected):
    for _ in range(5):
        _code_attempt(protected.email, "000000")
    client, response = _code_attempt(protected.email, pyotp.TOTP(protected.totp_secret).now())
    assert response.status_code == 429  # even the right code: the limit is checked first
    assert "Trop de codes incorrects" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_codes_are_written_to_the_audit_log(protected):
    _code_attempt(protected.email, "000000")
    assert AuditEntry.objects.get(action="login_failed").changes == {"reason": "code"}


def test_the_account_owner_is_emailed_once_after_repeated_wrong_codes(protected):
    from django.core import mail

    for _ in range(4):
        _code_attempt(protected.email, "000000")
    assert not mail.outbox
    for _ in range(3):
        _code_attempt(protected.email, "000000")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [protected.email] and "code" in mail.outbox[0].body
