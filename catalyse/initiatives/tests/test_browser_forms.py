"""Through a real browser: create an initiative with two partners using the pickers, and edit it from two
browser contexts to meet the conflict page."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from catalyse.actors.models import MembershipRole
from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.initiatives.models import Initiative

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def pick(page, box_name: str, text: str, option: str) -> None:
    box = page.get_by_role("combobox", name=box_name)
    box.fill(text)
    expect(page.get_by_role("listbox").get_by_role("option").first).to_contain_text(option)
    box.press("ArrowDown")
    box.press("Enter")


@pytest.fixture
def editor(territories):
    org = OrganisationFactory(name="Ville pionnière")
    OrganisationFactory(name="Fondation partenaire")
    return MembershipFactory(organisation=org, role=MembershipRole.EDITOR).user


def write_recit(page, text: str) -> None:
    """Replace the récit in the Markdown editor (its input carries the field's label; the form's textarea is
    hidden and kept in sync)."""
    page.get_by_role("textbox", name="Récit (Markdown)").focus()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)


def test_member_creates_an_initiative_with_two_partners_through_the_form(page, editor, axe):
    sign_in(page.context, page.base_url, editor)
    page.goto(page.base_url + "/initiatives/nouvelle/")
    axe(page)
    page.get_by_label("Titre").fill("Atelier des villes pairs")
    page.get_by_label("Résumé en une ligne").fill("Des communes construisent un référentiel commun.")
    write_recit(page, "## Le besoin\n\nPartager **ce qui marche**.")
    page.get_by_role("button", name="Aperçu du récit").click()
    expect(page.locator(".preview strong")).to_have_text("ce qui marche")

    pick(page, "Ajouter une organisation", "pionni", "Ville pionnière")
    pick(page, "Ajouter une organisation", "fondation", "Fondation partenaire")
    rows = page.locator(".partner-row")
    expect(rows).to_have_count(2)
    rows.nth(0).get_by_label("Rôle").select_option("porteur")
    rows.nth(1).get_by_label("Rôle").select_option("financeur")
    rows.nth(1).get_by_label("Arrivée").fill("2021-03-01")
    pick(page, "Ajouter un territoire", "loos en gohelle", "Loos-en-Gohelle")
    page.get_by_label("Emploi").check()
    page.get_by_label("17. Partenariats pour la réalisation des objectifs").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier des villes pairs")
    axe(page)
    partners = page.locator("#partenaires + .timeline")
    expect(partners).to_contain_text("Ville pionnière — Porteur")
    expect(partners).to_contain_text("Fondation partenaire — Financeur")
    initiative = Initiative.objects.get(title="Atelier des villes pairs")
    assert initiative.partnerships.count() == 2
    assert list(initiative.territories.values_list("code", flat=True)) == ["62528"]


def test_two_people_editing_at_once_meet_the_conflict_page(page, browser, editor):
    from catalyse.initiatives import services

    org = editor.memberships.get().organisation
    initiative = services.initiative_create(created_by=editor, title="Récit partagé", summary="Résumé",
                                            partners=[(org, "porteur")], publication="published")
    other = browser.new_context(locale="fr-FR")
    second = other.new_page()
    for context in (page.context, other):
        sign_in(context, page.base_url, editor)
    edit_url = f"{page.base_url}/initiatives/{initiative.slug}/modifier/"
    page.goto(edit_url)
    second.goto(edit_url)

    write_recit(page, "Version écrite dans le premier onglet.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Récit partagé")

    write_recit(second, "Version écrite dans le second onglet.")
    second.get_by_role("button", name="Enregistrer").click()
    expect(second.get_by_role("heading", level=1)).to_contain_text("modifié ce texte pendant")
    expect(second.locator(".conflict-columns")).to_contain_text("Version écrite dans le premier onglet.")
    expect(second.get_by_label("Récit (Markdown)")).to_have_value("Version écrite dans le second onglet.")

    second.get_by_role("button", name="Enregistrer ma version").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("Récit partagé")
    initiative.refresh_from_db()
    assert initiative.recit == "Version écrite dans le second onglet."
    other.close()
