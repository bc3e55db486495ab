"""In a real browser: sign up → verify the address from the email → accept an invitation to an organisation →
edit its profile → propose a new organisation → an animator approves it from the moderation queue."""

import re

import pytest
from django.core import mail

from catalyse.accounts.models import Role
from catalyse.accounts.services import invitation_create
from catalyse.accounts.tests.factories import UserFactory
from catalyse.actors.models import MembershipRole, Organisation, PublicationStatus
from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "une phrase de passe assez longue"


def _last_link(page) -> str:
    """The link of the last email, on the live server (services called outside a request give a path)."""
    return page.base_url + re.search(r"(?:https?://[^/\s]+)?(/compte/\S+)", mail.outbox[-1].body).group(1)


def _sign_in(page, email: str, password: str) -> None:
    page.goto(page.base_url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.locator("main form button[type=submit]").click()


def test_a_newcomer_joins_edits_and_gets_a_proposal_approved(page, browser, live_server, axe):
    org = OrganisationFactory(name="Alliance du bassin minier", head_office=None)
    owner = MembershipFactory(organisation=org, role=MembershipRole.EDITOR).user
    animator = UserFactory(role=Role.ANIMATOR, password=PASSWORD)

    # Sign up, then follow the link from the email.
    page.goto(page.base_url + "/compte/inscription/")
    page.get_by_label("Adresse électronique").fill("camille@exemple.fr")
    page.get_by_label("Nom affiché").fill("Camille")
    axe(page)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_text("Vérifiez votre boîte aux lettres").wait_for()
    page.goto(_last_link(page))
    page.get_by_text("Adresse confirmée").wait_for()
    _sign_in(page, "camille@exemple.fr", PASSWORD)
    page.get_by_role("heading", name="Mon compte").wait_for()
    axe(page)

    # The organisation's editor invites her; she accepts from the link.
    invitation_create(organisation=org, email="camille@exemple.fr", role=MembershipRole.EDITOR, invited_by=owner)
    page.goto(_last_link(page))
    page.get_by_role("button", name="Accepter l'invitation").click()
    page.get_by_text("Vous avez rejoint").wait_for()

    # As an editor she changes the profile.
    page.goto(page.base_url + f"/organisations/{org.slug}/modifier/")
    axe(page)
    # The description is written in the Markdown editor, which stands in for the textarea.
    page.get_by_role("textbox", name="Présentation (Markdown)").focus()  # the editor's input has the label
    page.keyboard.press("Control+A")
    page.keyboard.type("Nous animons des **tiers-lieux miniers**.")
    page.locator("form.org-form > p > button[type=submit]").click()
    page.locator("main strong", has_text="tiers-lieux miniers").wait_for()

    # She proposes a new organisation: it waits for moderation.
    page.goto(page.base_url + "/organisations/nouvelle/")
    page.locator("input[name=name]").fill("Tiers-lieu des Terrils")
    page.locator("input[name=profile]").first.check()
    page.locator("form.org-form > p > button[type=submit]").click()
    proposed = Organisation.objects.get(name="Tiers-lieu des Terrils")
    assert proposed.status == PublicationStatus.PENDING

    # An animator approves it from the queue; the proposer is told by email.
    animator_page = browser.new_context(locale="fr-FR").new_page()
    animator_page.base_url = page.base_url
    _sign_in(animator_page, animator.email, PASSWORD)
    animator_page.goto(page.base_url + "/moderation/")
    axe(animator_page)
    animator_page.get_by_role("link", name="Tiers-lieu des Terrils").click()
    animator_page.get_by_label("Approuver").check()
    animator_page.get_by_role("button", name="Enregistrer la décision").click()
    animator_page.get_by_text("Décision enregistrée").wait_for()
    proposed.refresh_from_db()
    assert proposed.status == PublicationStatus.PUBLISHED
    assert mail.outbox[-1].to == ["camille@exemple.fr"]
    animator_page.context.close()


def test_an_administrator_reaches_the_admin_only_through_the_site_sign_in_and_its_code(page):
    import pyotp

    from catalyse.accounts import services
    from catalyse.accounts.models import User

    admin = User.objects.create_superuser(email="admin@exemple.fr", password=PASSWORD, email_verified=True)
    services.totp_begin(admin)
    admin.totp_enabled = True
    admin.save(update_fields=["totp_enabled"])

    page.goto(page.base_url + "/admin/")
    page.get_by_role("heading", name="Se connecter").wait_for()  # the site's sign-in, not Django's form
    page.get_by_label("Adresse électronique").fill(admin.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.get_by_label("Code à 6 chiffres").fill(pyotp.TOTP(admin.totp_secret).now())
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("Catalyse — administration").wait_for()


def test_a_person_changes_their_address_after_giving_their_password_again(page):
    person = UserFactory(email="ancienne@exemple.fr", password=PASSWORD)
    _sign_in(page, person.email, PASSWORD)
    page.get_by_role("heading", name="Mon compte").wait_for()
    page.get_by_role("link", name="Changer d'adresse électronique").click()
    page.get_by_label("Nouvelle adresse électronique").fill("nouvelle@exemple.fr")
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Envoyer le lien").click()
    page.get_by_text("Un lien de confirmation a été envoyé").wait_for()
    page.goto(_last_link(page))
    page.get_by_text("Adresse modifiée").wait_for()
    person.refresh_from_db()
    assert person.email == "nouvelle@exemple.fr"
