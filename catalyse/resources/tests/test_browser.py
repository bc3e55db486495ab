import pytest
from playwright.sync_api import expect

from catalyse.actors import demo as actors_demo
from catalyse.initiatives import demo as initiatives_demo
from catalyse.resources import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_library_and_toolbox_are_accessible_on_desktop_and_phone(page, axe):
    actors_demo.load()
    initiatives_demo.load()
    demo.load()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for address, heading in (
            ("/ressources/", "Ressources"),
            ("/ressources/boite-a-outils/", "Boîte à outils"),
            ("/ressources/collections/evaluation-partenariale/", "Évaluation partenariale"),
        ):
            page.goto(page.base_url + address)
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            axe(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (address, width)


def test_a_visitor_narrows_the_library_then_opens_a_resource(page):
    actors_demo.load()
    initiatives_demo.load()
    demo.load()
    page.goto(page.base_url + "/ressources/")
    expect(page.get_by_role("heading", level=2)).to_contain_text("ressources")
    page.get_by_role("link", name="Jeu de données").click()
    expect(page).to_have_url(page.base_url + "/ressources/?type=donnees")
    page.get_by_label("Mots").fill("Sirene")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("1 ressource")
    page.get_by_role("link", name="Base Sirene des entreprises et de leurs établissements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Base Sirene des entreprises et de leurs établissements")
    expect(page.get_by_text("Licence Ouverte 2.0")).to_be_visible()
