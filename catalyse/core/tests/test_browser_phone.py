"""At 390 px wide (a phone): the header's menu folds behind a button, and the listing pages show their results
first with the filters behind a "Filtres" button. (That no main page scrolls sideways is checked with axe, in
test_browser_accessibility.)"""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_header_menu_folds_behind_a_button_on_a_phone(page, axe):
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/")
    button = page.get_by_role("button", name="Menu")
    organisations = page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Organisations")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(organisations).to_be_hidden()
    expect(page.get_by_role("search").first).to_be_visible()  # the search box stays in sight

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(organisations).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    axe(page)
    organisations.focus()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()

    button.click()
    organisations.click()
    expect(page).to_have_url(page.base_url + "/organisations/")


def test_on_a_wide_screen_the_menu_is_shown_without_a_button(page):
    page.goto(page.base_url + "/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Carte")).to_be_visible()


def test_without_javascript_the_menu_is_simply_shown(browser, live_server, territories):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Initiatives")).to_be_visible()
    context.close()


@pytest.mark.parametrize("url, result", [("/organisations/", "#result-count"),
                                         ("/initiatives/", "#results-title"),
                                         ("/recherche/?q=", ".search-count")])
def test_listing_pages_show_results_first_and_filters_behind_a_button(page, territories, url, result):
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + url)
    filters = page.get_by_role("button", name="Filtres")
    expect(filters).to_have_attribute("aria-expanded", "false")
    panel = page.locator("#" + filters.get_attribute("aria-controls"))
    expect(panel).to_be_hidden()
    expect(page.locator(result)).to_be_in_viewport()

    filters.click()
    expect(filters).to_have_attribute("aria-expanded", "true")
    expect(panel).to_be_visible()
    page.reload()  # the choice holds while the filters submit the page
    expect(page.locator("#" + filters.get_attribute("aria-controls"))).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.get_by_role("button", name="Filtres")).to_be_hidden()


def test_on_a_wide_screen_the_directory_filters_sit_beside_the_results(page, territories):
    page.goto(page.base_url + "/organisations/")
    expect(page.get_by_role("button", name="Filtres")).to_be_hidden()
    expect(page.get_by_label("Nom, SIREN ou RNA")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_french_404_page_is_accessible_and_fits_the_screen(page, axe, width):
    page.set_viewport_size({"width": width, "height": 844})
    response = page.goto(page.base_url + "/organisations/n-existe-pas/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(page.get_by_role("link", name="Retour à l'accueil")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe(page)
