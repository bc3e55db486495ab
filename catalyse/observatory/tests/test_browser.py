import pytest
from playwright.sync_api import expect

from catalyse.observatory import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_departement_page_switch_the_mapped_indicator_and_follow_a_similar_territory(page):
    demo.load()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        # The first visit reads the outlines and builds the similarity table: slow on a loaded machine.
        page.goto(page.base_url + "/territoires/departement/62/", timeout=60_000)
        expect(page.get_by_role("heading", name="Profil de fragilité")).to_be_visible()
        expect(page.get_by_text("Valeurs FICTIVES de démonstration").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, width
    page.get_by_label("Indicateur", exact=True).select_option("taux-pauvrete")
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(page.base_url + "/territoires/departement/62/?indicateur=taux-pauvrete#observatory-map")
    expect(page.locator("#observatory-map figcaption")).to_contain_text("Taux de pauvreté")
    similar = page.locator("section[aria-labelledby=observatory-similar-title] tbody a").first
    name = similar.inner_text()
    with page.expect_navigation(timeout=60_000):
        similar.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
