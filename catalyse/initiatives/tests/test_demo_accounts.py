"""The demo can be tried: one account per role sharing the demo password, items waiting for moderation,
suggestions, resources with files and websites on the demo organisations."""

import pytest
from django.contrib.auth import authenticate
from playwright.sync_api import expect

from catalyse.accounts.models import Role, Suggestion, SuggestionStatus, User
from catalyse.actors import demo as actors_demo
from catalyse.actors.models import Membership, MembershipRole, Organisation, PublicationStatus
from catalyse.core import permissions
from catalyse.initiatives import demo
from catalyse.initiatives.demo_accounts import ACCOUNTS, DEMO_PASSWORD
from catalyse.initiatives.models import Initiative
from catalyse.resources import demo as resources_demo
from catalyse.resources.models import Resource


def load() -> str:
    actors_demo.load()
    summary = demo.load()
    resources_demo.load()
    return summary


def test_load_demo_creates_one_account_per_role_and_says_the_password(db):
    summary = load()
    assert DEMO_PASSWORD in summary
    load()  # idempotent
    assert User.objects.filter(email__endswith="@demo.catalyse.test").count() == 5
    for email, _name, _role, _membership in ACCOUNTS:
        assert authenticate(username=email, password=DEMO_PASSWORD) is not None
    by_email = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.catalyse.test")}
    assert by_email["animateur"].is_animator and not by_email["membre"].is_animator
    assert by_email["admin"].role == Role.ADMIN and by_email["admin"].is_superuser
    loos = Organisation.objects.get(slug="ville-de-loos-en-gohelle")
    assert permissions.EDITOR in permissions.roles_of(by_email["editeur"], loos)
    partner = Membership.objects.get(user=by_email["partenaire"])
    assert partner.role == MembershipRole.MEMBER and partner.organisation.partnerships.exists()
    assert not Membership.objects.filter(user=by_email["animateur"]).exists()


def test_demo_fills_the_moderation_queue_suggestions_resources_and_websites(db):
    load()
    load()
    assert Organisation.objects.filter(status=PublicationStatus.PENDING).count() == 1
    assert Initiative.objects.filter(publication=PublicationStatus.PENDING).count() == 1
    assert Suggestion.objects.filter(status=SuggestionStatus.OPEN).count() == 2
    files = Resource.objects.exclude(file="")
    assert files.values("owner_initiative").distinct().count() == 3
    assert all(r.file.read() for r in files)
    assert Organisation.objects.get(slug="ville-de-loos-en-gohelle").website.startswith("https://")
    assert not Organisation.objects.filter(is_fictitious=True, website="").exists()
    assert Organisation.objects.filter(head_office__isnull=False).count() >= 30


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_five_demo_accounts_sign_in(page, browser):
    load()
    for email, _name, _role, _membership in ACCOUNTS:
        page.context.clear_cookies()
        page.goto(page.base_url + "/compte/connexion/")
        page.get_by_label("Adresse électronique").fill(email)
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_role("button", name="Se déconnecter")).to_be_attached()
        page.goto(page.base_url + "/compte/")
        expect(page.locator("main")).to_contain_text(email)
    page.goto(page.base_url + "/moderation/")  # the last one, the administrator, sees the waiting items
    expect(page.locator("main")).to_contain_text("Ressourcerie du Val (fictif)")
    expect(page.locator("main")).to_contain_text("Jardin partagé des cités (fictif)")
