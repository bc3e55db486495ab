import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_territory_autocomplete_leads_to_the_commune_page(page):
    page.goto(page.base_url + "/")
    box = page.get_by_role("combobox", name="Chercher un territoire")
    box.fill("loos en gohelle")
    option = page.get_by_role("option").first
    expect(option).to_contain_text("Loos-en-Gohelle")
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(page.base_url + "/territoires/commune/62528/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Loos-en-Gohelle")
    expect(page.get_by_role("navigation", name="Fil d'Ariane")).to_contain_text("Pas-de-Calais")


def test_autocomplete_by_postal_code_and_homonyms(page):
    page.goto(page.base_url + "/")
    box = page.get_by_role("combobox", name="Chercher un territoire")
    box.fill("62750")
    expect(page.get_by_role("option").first).to_contain_text("Loos-en-Gohelle")
    box.fill("Courcy")
    options = page.get_by_role("option")
    expect(options.nth(2)).to_contain_text("Courcy (")
    texts = options.all_inner_texts()[:3]
    assert sorted(t.split(" —")[0] for t in texts) == ["Courcy (14)", "Courcy (50)", "Courcy (51)"]


def test_layout_is_usable_on_a_phone(page, axe):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(page.base_url + "/territoires/region/32/")
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()


def test_a_departement_page_maps_its_outline_and_leads_to_its_organisations(page):
    from catalyse.actors.tests.factories import OrganisationFactory, commune

    org = OrganisationFactory(name="Tiers-lieu des Gohelliens", head_office=commune("62528"))
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.base_url + "/territoires/departement/62/")
        expect(page.locator("#territory-map[data-outline-shown]")).to_be_attached()
        expect(page.locator("#territory-map path.outline-current")).to_have_count(1)
        expect(page.locator("#territory-map .leaflet-outlines-pane path.outline-departement")).to_have_count(101)
        expect(page.locator("#territory-organisations-total")).to_contain_text("1 organisation")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("link", name="Tiers-lieu des Gohelliens").click()
    expect(page).to_have_url(page.base_url + org.get_absolute_url())


def test_a_commune_page_maps_the_commune(page):
    page.goto(page.base_url + "/territoires/commune/62528/")
    expect(page.locator("#territory-map[data-outline-shown]")).to_be_attached()
    # Zoomed on one commune: the commune outlines of its département are drawn around it.
    expect(page.locator("#territory-map .leaflet-outlines-pane path.outline-commune").first).to_be_attached()
