"""The directory's filters in a real browser: ticking a facet changes results, counts and the address, the
back button restores the previous selection, and the form also works with JavaScript turned off."""

import re

import pytest
from playwright.sync_api import expect

from catalyse.actors.models import Profile, Trade
from catalyse.actors.tests.factories import OrganisationFactory, commune
from catalyse.actors.trades import TRADES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organisations(territories):
    # A transactional test flushes tables, data-migration rows included: put the trades back.
    for position, (code, name, _competences) in enumerate(TRADES):
        Trade.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    place = Trade.objects.get(code="gestion-lieu")
    for name, profile, office in [("Tiers-lieu de Loos", Profile.GENERAL_INTEREST, "62528"),
                                  ("Maison des associations de Lille", Profile.GENERAL_INTEREST, "59350"),
                                  ("Coopérative parisienne", Profile.COMPANY, "75056"),
                                  ("Laboratoire lyonnais", Profile.ACADEMIC, "69123")]:
        org = OrganisationFactory(name=name, profile=profile, head_office=commune(office))
        if "Loos" in name or "Coopérative" in name:
            org.trades.add(place)


def count(page, label: str):
    return page.locator("fieldset").filter(has_text=label).locator("label").filter(
        has_text=re.compile(f"^{re.escape(label)}")).locator("[data-count]")


def test_ticking_facets_filters_the_directory_and_back_restores_the_selection(page, browse_path, organisations, axe):
    page.goto(page.base_url + "/organisations/")
    axe(page)
    heading = page.locator("#result-count")
    expect(heading).to_have_text("4 organisations")
    expect(count(page, "Gestion d'un lieu")).to_have_text("2")

    with page.expect_navigation():
        page.get_by_role("checkbox", name=re.compile("^Structure d'intérêt général")).click()
    expect(page).to_have_url(re.compile(r"profil=interet_general"))
    expect(heading).to_have_text("2 organisations")
    expect(page.locator(".org-list")).not_to_contain_text("Coopérative parisienne")
    expect(count(page, "Gestion d'un lieu")).to_have_text("1")  # other facets follow the choice
    expect(count(page, "Entreprise")).to_have_text("1")  # a profile's own count does not
    expect(page.locator("#f-profile-interet_general")).to_be_focused()

    with page.expect_navigation():
        page.get_by_role("checkbox", name=re.compile("^Île-de-France|^Hauts-de-France")).first.click()
    expect(page).to_have_url(re.compile(r"region=32"))
    expect(heading).to_have_text("2 organisations")
    with page.expect_navigation():
        page.get_by_role("checkbox", name=re.compile("^Gestion d'un lieu")).click()
    expect(heading).to_have_text("1 organisation")
    expect(page.locator(".org-list")).to_contain_text("Tiers-lieu de Loos")
    expect(page.locator('a[href^="/organisations/export.csv?"]')).to_have_attribute(
        "href", re.compile("metier=gestion-lieu"))

    page.go_back()
    expect(heading).to_have_text("2 organisations")
    expect(page.get_by_role("checkbox", name=re.compile("^Gestion d'un lieu"))).not_to_be_checked()
    page.go_back()
    page.go_back()
    expect(heading).to_have_text("4 organisations")
    expect(page.get_by_role("checkbox", name=re.compile("^Structure d'intérêt général"))).not_to_be_checked()


def test_filters_work_without_javascript(browser, live_server, organisations):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/organisations/")
    page.get_by_role("checkbox", name=re.compile("^Acteur académique")).check()
    page.get_by_label("Trier par").select_option("-maj")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"profil=academique.*tri=-maj"))
    expect(page.locator("#result-count")).to_have_text("1 organisation")
    context.close()


def test_the_territory_pickers_fill_the_organisation_form(page, organisations):
    from django.test import Client

    from catalyse.actors.models import MembershipRole, Organisation
    from catalyse.actors.tests.factories import MembershipFactory

    org = Organisation.objects.get(name="Coopérative parisienne")
    editor = MembershipFactory(organisation=org, role=MembershipRole.EDITOR).user
    client = Client()
    client.force_login(editor)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": page.base_url}])
    csp = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(page.base_url + f"/organisations/{org.slug}/modifier/")

    office = page.get_by_role("combobox", name="Commune du siège")
    office.fill("62750")
    page.get_by_role("option", name=re.compile("^Loos-en-Gohelle")).click()
    expect(office).to_have_value("Loos-en-Gohelle (62)")
    expect(page.locator("#id_head_office")).to_have_value("commune:62528")

    page.get_by_role("combobox", name="Ajouter un territoire d'action").fill("Pas-de-Cal")
    page.get_by_role("option", name=re.compile("^Pas-de-Calais")).click()
    expect(page.get_by_role("checkbox", name=re.compile("^Pas-de-Calais"))).to_be_checked()

    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Modifications enregistrées")
    org.refresh_from_db()
    assert org.head_office.name == "Loos-en-Gohelle"
    assert [t.name for t in org.territories.all()] == ["Pas-de-Calais"]
    assert csp == []
