import pytest
from playwright.sync_api import expect

from catalyse.actors.tests.factories import OrganisationFactory, commune

# Each browser test reloads the territory referential after the flush: keep them few and complete.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def located(territories):
    for code in ("62528", "62528", "62193", "59350", "13055", "13055", "29019", "97411"):
        OrganisationFactory(head_office=commune(code))


def test_the_map_shows_clusters_and_its_departements_lead_to_the_directory(page, browse_path, located, monkeypatch,
                                                                           axe):
    monkeypatch.setattr("catalyse.actors.queries.MAP_POINTS_LIMIT", 0)  # server clusters even for a few
    page.goto(page.base_url + "/carte/")
    expect(page.get_by_role("region", name="Carte interactive des organisations")).to_be_visible()
    expect(page.locator(".server-cluster").first).to_be_visible()
    expect(page.locator("#map-status")).to_contain_text("7 organisations dans la zone affichée")
    assert page.locator(".leaflet-marker-icon").count() >= 3
    axe(page)

    link = page.locator('a[data-departement="62"]')  # keyboard: the département links take the focus
    link.focus()
    expect(link).to_be_focused()
    page.locator('a[data-departement="13"] path').click()
    expect(page).to_have_url(page.base_url + "/organisations/?catalyseur=1&departement=13")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_statistics_page_shows_its_charts_and_tables(page, browse_path, located, axe):
    page.goto(page.base_url + "/reseau/")
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Le réseau en chiffres")
    expect(page.get_by_role("img")).to_have_count(6)
    expect(page.locator("#stat-catalysts")).to_have_text("8")
    page.get_by_text("Données du graphique").first.click()
    table = page.get_by_role("table", name="Acteurs locaux et réseaux nationaux")
    expect(table).to_be_visible()
    expect(table).to_contain_text("8")
