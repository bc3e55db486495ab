"""The home page in a browser, signed out, at desktop and phone widths: its blocks and calls to action, no
sideways scrolling, no accessibility violation; the detail pages' facts sit beside the story, and above
it on a phone."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from catalyse.actors.models import Profile
from catalyse.actors.tests.factories import OrganisationFactory, commune
from catalyse.initiatives.models import Sdg, Theme
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

from .main_pages import OVERFLOWING, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]


@pytest.fixture(autouse=True)
def empty_cache():
    """Home blocks are cached for visitors: each test starts from an empty cache."""
    cache.clear()


@pytest.fixture
def site(territories):
    org = OrganisationFactory(
        name="Tiers-lieu des Deux Rives",
        slug="tiers-lieu-deux-rives",
        profile=Profile.PUBLIC_ACTOR,
        website="https://tiers-lieu.example.org/une-adresse-longue",
        description="Un lieu **partagé** pour l'emploi.",
        latitude=50.45,
        longitude=2.8,
    )
    other = OrganisationFactory(head_office=commune("13055"))
    initiative = InitiativeFactory(
        title="Un atelier de réparation partagé",
        slug="atelier-reparation",
        recit="## Le début\n\nUne alliance de voisins et d'une commune.",
    )
    initiative.themes.add(*Theme.objects.filter(code__in=["emploi", "mobilite"]))
    initiative.sdgs.add(*Sdg.objects.filter(number__in=[1, 8, 13]))
    initiative.territories.add(commune("62528"))
    for partner in (org, other):
        PartnershipFactory(initiative=initiative, organisation=partner)
    # Three later ones fill "the latest": the widest alliance shows among the most remarkable.
    InitiativeFactory(title="Une épicerie solidaire").themes.add(Theme.objects.get(code="alimentation"))
    InitiativeFactory(title="Un jardin partagé")
    InitiativeFactory(title="Une navette rurale")
    return {"organisation": org, "initiative": initiative}


def _open(browser, live_server, width: int, url: str):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + url)
    return context, page


def _no_sideways_scroll(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, page.evaluate(OVERFLOWING)


@pytest.mark.parametrize("width", WIDTHS)
def test_home_blocks_and_calls_to_action_for_a_visitor(browser, live_server, site, axe, width):
    context, page = _open(browser, live_server, width, "/")
    for title in (
        "Le réseau en chiffres",
        "Le réseau sur le territoire",
        "Les dernières initiatives",
        "Les plus larges alliances",
        "Par thème",
    ):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator('[data-figure="initiatives"]')).to_have_text("4")
    expect(page.locator('[data-figure="organisations"]')).to_have_text("2")
    expect(page.get_by_role("link", name="Un atelier de réparation partagé").first).to_be_visible()
    expect(page.locator(".map-teaser svg")).to_be_visible()
    expect(page.get_by_role("link", name="Ouvrir la carte des organisations")).to_have_attribute("href", "/carte/")
    expect(page.get_by_role("link", name="Hauts-de-France")).to_be_visible()
    expect(page.get_by_role("link", name="Créer un compte")).to_be_visible()
    _no_sideways_scroll(page, width)
    axe(page)

    page.get_by_role("link", name="Raconter une initiative").click()
    expect(page).to_have_url(f"{live_server.url}/compte/connexion/?next=/initiatives/nouvelle/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Proposer une organisation").click()
    expect(page).to_have_url(f"{live_server.url}/compte/connexion/?next=/organisations/nouvelle/")
    page.go_back()
    page.get_by_role("link", name="Créer un compte").click()
    expect(page).to_have_url(f"{live_server.url}/compte/inscription/")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("url", ["/initiatives/atelier-reparation/", "/organisations/tiers-lieu-deux-rives/"])
def test_detail_pages_put_the_facts_beside_the_story(browser, live_server, site, axe, width, url):
    context, page = _open(browser, live_server, width, url)
    aside, main = page.locator(".detail-aside").bounding_box(), page.locator(".detail-main").bounding_box()
    if width > 800:
        assert aside["x"] > main["x"] + main["width"] - 1 and abs(aside["y"] - main["y"]) < 2  # side by side
    else:
        assert aside["y"] + aside["height"] <= main["y"] and aside["width"] == pytest.approx(main["width"], abs=2)
    _no_sideways_scroll(page, width)
    axe(page)
    if "initiatives" in url:  # SDG names are written out, not left to a tooltip
        expect(page.locator(".detail-aside .sdg").first).to_contain_text("Pas de pauvreté")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_design_page_is_accessible(browser, live_server, territories, animator, axe, width):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    sign_in(context, live_server.url, animator)
    page = context.new_page()
    page.goto(live_server.url + "/design/")
    expect(page.locator(".design-component")).to_have_count(11)
    expect(page.locator("#composant-odd .sdg").first).to_contain_text("Pas de pauvreté")
    _no_sideways_scroll(page, width)
    axe(page)
    context.close()
