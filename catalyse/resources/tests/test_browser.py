import pytest
from playwright.sync_api import expect

from catalyse.accounts.models import Role
from catalyse.accounts.tests.factories import UserFactory
from catalyse.actors import demo as actors_demo
from catalyse.core.tests.main_pages import sign_in
from catalyse.initiatives import demo as initiatives_demo
from catalyse.resources import demo, services
from catalyse.resources.models import Family, Tool

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


def test_an_animator_meets_a_concurrent_edit_then_removes_the_service(page, axe):
    tool = services.tool_create(name="Atlas des haies", family=Family.DATA, summary="Les haies par commune.")
    sign_in(page.context, page.base_url, UserFactory(role=Role.ANIMATOR))
    page.goto(page.base_url + f"/ressources/boite-a-outils/{tool.slug}/modifier/")
    page.get_by_label("Description").fill("Haies et talus, commune par commune.")
    services.tool_update(Tool.objects.get(pk=tool.pk), expected_version=1, name="Atlas des mares")  # someone else
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("alert")).to_contain_text("Quelqu'un a modifié « Atlas des mares »")
    expect(page.get_by_role("row", name="Nom Atlas des mares Atlas des haies")).to_be_visible()
    expect(page.get_by_label("Description")).to_have_value("Haies et talus, commune par commune.")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        axe(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, width

    page.get_by_role("link", name="Supprimer ce service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer le service « Atlas des mares » ?")
    axe(page)
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page).to_have_url(page.base_url + "/ressources/boite-a-outils/")
    expect(page.get_by_text("Le service « Atlas des mares » est retiré de la boîte à outils.")).to_be_visible()
    assert not Tool.objects.filter(pk=tool.pk).exists()
