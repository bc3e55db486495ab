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


def test_the_map_draws_the_outline_background_pins_by_profile_and_reaches_the_overseas(page, located):
    page.goto(page.base_url + "/carte/?catalyseur=")
    expect(page.locator("#map[data-outlines-ready]")).to_be_attached()
    expect(page.locator(".leaflet-outlines-pane path.outline-region")).to_have_count(18)
    expect(page.locator(".leaflet-outlines-pane path.outline-departement")).to_have_count(101)
    assert page.locator(".leaflet-outlines-pane path.outline-commune").count() == 0  # communes from zoom 9 only
    legend = page.get_by_role("list", name="Couleur des points : profil de l'organisation")
    expect(legend).to_contain_text("Entreprise")
    page.get_by_role("button", name="La Réunion").click()
    expect(page.locator("#map-status")).to_contain_text("1 organisation dans la zone affichée")
    pin = page.locator(".leaflet-marker-icon.map-pin").first
    expect(pin).to_be_visible()
    assert pin.get_attribute("title")
    # Zoomed in (from zoom 9): the communes of the départements in view are outlined.
    page.get_by_role("button", name="Métropole").click()
    for _ in range(4):
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(350)
    expect(page.locator(".leaflet-outlines-pane path.outline-commune").first).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_the_map_fits_a_phone_screen(page, located):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/carte/")
    expect(page.locator(".leaflet-outlines-pane path.outline-region")).to_have_count(18)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_organisation_page_maps_its_location_over_the_outlines(page):
    org = OrganisationFactory(name="Fabrique de Loos", head_office=commune("62528"))
    if org.latitude is None:  # the factory may leave the point to the head office's centre
        org.latitude, org.longitude = 50.4568, 2.7858
        org.save(update_fields=["latitude", "longitude"])
    page.goto(page.base_url + org.get_absolute_url())
    expect(page.locator("#point-map[data-outlines-ready]")).to_be_attached()
    expect(page.locator("#point-map .map-pin")).to_have_count(1)
    expect(page.locator("#point-map .leaflet-outlines-pane path.outline-commune").first).to_be_attached()


def test_a_pin_has_an_accessible_name_and_a_popup_with_profile_commune_trades_and_link(page, territories):
    from catalyse.actors.models import Trade

    org = OrganisationFactory(name="Tiers-lieu de Saint-Pierre", head_office=commune("97416"), profile="entreprise")
    org.trades.set(Trade.objects.order_by("position")[:2])
    page.goto(page.base_url + "/carte/?catalyseur=")
    page.get_by_role("button", name="La Réunion").click()
    pin = page.get_by_role("button", name="Tiers-lieu de Saint-Pierre — Entreprise")
    pin.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Profil")
    expect(popup).to_contain_text("Entreprise")
    expect(popup).to_contain_text("Saint-Pierre")
    for trade in Trade.objects.order_by("position")[:2]:
        expect(popup).to_contain_text(trade.name)
    popup.get_by_role("link", name="Tiers-lieu de Saint-Pierre").click()
    expect(page).to_have_url(page.base_url + org.get_absolute_url())


def test_the_statistics_page_fits_a_phone_screen(page, located):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/reseau/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Le réseau en chiffres")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
