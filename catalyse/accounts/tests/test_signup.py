import re

import pytest
from django.core import mail
from django.urls import reverse

from catalyse.accounts.models import User

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_sends_a_verification_link_and_the_link_verifies_the_address(client):
    response = client.post(reverse("accounts:signup"), {
        "email": "Nouvelle@Exemple.FR", "display_name": "Nouvelle", "password": "une phrase de passe longue"})
    assert response.status_code == 200
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert not user.email_verified
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nouvelle@exemple.fr"]
    assert client.get(_link(mail.outbox[0])).status_code == 302
    user.refresh_from_db()
    assert user.email_verified


def test_new_passwords_are_hashed_with_argon2_in_production(settings):
    from django.conf import settings as conf

    assert conf.PASSWORD_HASHERS != []
    from catalyse import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_signup_answers_the_same_for_a_known_address_and_tells_its_owner(client, outsider):
    def signup(email):
        response = client.post(reverse("accounts:signup"), {"email": email, "password": "une phrase de passe longue"})
        return response.status_code, response.content.decode().replace(email, "ADRESSE")

    assert signup(outsider.email.upper()) == signup("inconnue@exemple.fr")
    assert User.objects.filter(email__iexact=outsider.email).count() == 1
    to_owner = next(m for m in mail.outbox if m.to == [outsider.email])
    assert "déjà un compte" in to_owner.body and reverse("accounts:password_reset") in to_owner.body


def test_signup_with_an_unconfirmed_address_sends_the_confirmation_link_again(client):
    User.objects.create_user(email="lente@exemple.fr", password="une phrase de passe longue")
    client.post(reverse("accounts:signup"), {"email": "lente@exemple.fr", "password": "une autre phrase longue"})
    assert reverse("accounts:verify", args=["x"])[:-2] in mail.outbox[-1].body


@pytest.mark.parametrize(("url", "data"), [
    ("accounts:signup", {"password": "une phrase de passe longue"}),
    ("accounts:verification_resend", {}),
    ("accounts:password_reset", {}),
])
def test_account_emails_to_one_address_are_limited_with_a_429(client, outsider, url, data):
    outsider.email_verified = url != "accounts:verification_resend"
    outsider.save(update_fields=["email_verified"])
    statuses = [client.post(reverse(url), {"email": outsider.email, **data}).status_code for _ in range(9)]
    assert 429 in statuses and statuses[-1] == 429
    assert "Trop de demandes" in client.post(reverse(url), {"email": outsider.email, **data}).content.decode()
    assert 1 <= len(mail.outbox) <= 3


@pytest.mark.parametrize(("url", "data"), [
    ("accounts:signup", {"password": "une phrase de passe longue"}),
    ("accounts:verification_resend", {}),
    ("accounts:password_reset", {}),
])
def test_account_email_requests_from_one_ip_are_limited_whatever_the_address(client, settings, url, data):
    settings.CATALYSE_ACCOUNT_MAIL_PER_IP = 4
    statuses = [client.post(reverse(url), {"email": f"p{n}@exemple.fr", **data}).status_code for n in range(5)]
    assert statuses[-1] == 429 and 429 not in statuses[:4]


def test_the_address_limit_counts_unknown_addresses_too(client):
    # Otherwise a 429 after three tries would tell that the address has an account.
    statuses = [client.post(reverse("accounts:password_reset"), {"email": "personne@exemple.fr"}).status_code
                for _ in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_signup_refuses_a_weak_password(client):
    response = client.post(reverse("accounts:signup"), {"email": "a@exemple.fr", "password": "123"})
    assert response.status_code == 200
    assert not User.objects.filter(email="a@exemple.fr").exists()


def test_a_tampered_verification_link_is_refused(client):
    assert client.get(reverse("accounts:verify", args=["faux-jeton"])).status_code == 400


def test_an_unverified_account_cannot_sign_in(client):
    User.objects.create_user(email="x@exemple.fr", password="une phrase de passe longue")
    response = client.post(reverse("accounts:login"),
                           {"email": "x@exemple.fr", "password": "une phrase de passe longue"})
    assert "abord votre adresse" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_resending_the_link_does_not_reveal_whether_an_account_exists(client, outsider):
    known = client.post(reverse("accounts:verification_resend"), {"email": outsider.email}, follow=True)
    unknown = client.post(reverse("accounts:verification_resend"), {"email": "inconnu@exemple.fr"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert len(mail.outbox) == 0  # outsider is already verified


def test_password_reset_sends_a_link_that_sets_a_new_password(client, outsider):
    client.post(reverse("accounts:password_reset"), {"email": outsider.email})
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0])
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "nouvelle phrase secrète", "new_password2": "nouvelle phrase secrète"})
    outsider.refresh_from_db()
    assert outsider.check_password("nouvelle phrase secrète")


def test_the_password_rules_are_shown_before_the_first_attempt(client):
    html = client.get(reverse("accounts:signup")).content.decode()
    assert 'aria-describedby="id_password_helptext"' in html
    assert 'id="id_password_helptext"' in html and "10 caractères" in html
