"""The synthesis pages in a browser, at 1280 and 390 px: accessible (axe), nothing scrolls sideways, the
facilitator's form is usable with the keyboard, and the print button prints the page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalyse.core.tests.main_pages import OVERFLOWING, sign_in

from .synthesis_helpers import cards_with_votes, make_board, make_event, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "Cartographier-les-acteurs-qui-pratiquent-déjà-l'évaluation-sur-le-territoire-sans-espace-aucun"


@pytest.fixture
def world(territories, member):
    event = make_event(title="Rencontre annuelle des catalyseurs")
    boards = [make_board(event, f"Groupe {colour}", member) for colour in ("bleu", "rouge")]
    for board in boards:
        cards = cards_with_votes(board, 0, [3, 1], prefix="Besoin exprimé")
        publish(
            board, ["Organiser des voyages d'étude", LONG, "Plaider auprès des institutions"], member, cards=cards[:1]
        )
    return event, boards, member


@pytest.mark.parametrize("width", [1280, 390])
def test_event_synthesis_page_is_accessible_and_fits_the_screen(page, axe, world, width):
    event, _boards, _member = world
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + reverse("syntheses:event", args=[event.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Qu'avons-nous inventé ensemble ?")
    expect(page.get_by_role("heading", name="Groupe rouge")).to_be_visible()
    expect(page.get_by_role("table", name="Besoins")).to_be_visible()
    expect(page.get_by_role("button", name="Imprimer cette page")).to_be_visible()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.evaluate(OVERFLOWING)


def test_print_hides_the_site_around_the_synthesis(page, world):
    event, _boards, _member = world
    page.goto(page.base_url + reverse("syntheses:event", args=[event.slug]))
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Télécharger en PDF")).to_be_hidden()
    expect(page.get_by_text("Organiser des voyages d'étude").first).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_facilitator_edits_the_synthesis_with_the_keyboard(browser, live_server, axe, world, width):
    _event, boards, member = world
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    sign_in(context, live_server.url, member)
    page = context.new_page()
    page.goto(live_server.url + reverse("syntheses:edit", args=[boards[0].pk]))
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.evaluate(OVERFLOWING)
    page.get_by_label("Texte de la proposition 2").fill("Former les élus ensemble")
    page.get_by_label("Cartes d'appui de la proposition 2").fill("A2, Z9")
    page.get_by_label("Cartes d'appui de la proposition 2").press("Enter")
    expect(page.get_by_text("Références non reconnues (9)")).to_be_visible()
    axe(page)
    page.get_by_label("Cartes d'appui de la proposition 2").fill("A2")
    page.get_by_role("button", name="Enregistrer").press("Enter")
    expect(page.get_by_text("Synthèse enregistrée.")).to_be_visible()
    expect(page.get_by_text("Former les élus ensemble")).to_be_visible()
    axe(page)
    context.close()
