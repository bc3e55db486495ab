"""Two people in the room, each in their own browser: each sees the other's cards and votes arrive without
reloading; the board passes axe at desktop and phone widths and is usable from the keyboard."""

import pytest
from playwright.sync_api import expect

from catalyse.core.tests.main_pages import sign_in
from catalyse.workshops import services

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _join(browser, url: str, name: str):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    page.get_by_label("Votre nom ou vos initiales").fill(name)
    page.get_by_role("button", name="Rejoindre le tableau").click()
    expect(page.get_by_text(f"Vous participez en tant que {name}")).to_be_visible()
    return context, page


def test_two_participants_see_each_others_cards_and_votes_live(browser, live_server, axe):
    board = factories.board(title="Outils numériques")
    url = f"{live_server.url}/ateliers/{board.code}/"
    first_context, first = _join(browser, url, "A.M.")
    second_context, second = _join(browser, url, "Z.K.")
    try:
        first.get_by_label("Nouvelle carte : Besoins").fill("Une carte des acteurs du territoire")
        first.get_by_label("Nouvelle carte : Besoins").press("Tab")
        first.keyboard.press("Enter")  # "Ajouter la carte", from the keyboard

        card = second.locator("#carte-1")
        expect(card).to_contain_text("Une carte des acteurs du territoire", timeout=10_000)
        expect(second.locator("#workshop-live")).to_contain_text("Nouvelle carte A1")
        expect(first.get_by_label("Nouvelle carte : Besoins")).to_have_value("")

        second.get_by_role("button", name="+1 pour A1").click()
        expect(first.locator("#carte-1")).to_contain_text("1 vote", timeout=10_000)
        expect(second.get_by_role("button", name="Retirer mon +1 à A1")).to_be_visible()

        second.get_by_label("Nouvelle carte : Pratiques").fill("Comme A1, mais partagée")
        second.get_by_role("button", name="Ajouter la carte").nth(1).click()
        expect(first.locator("#carte-2 a.card-ref")).to_have_text("A1", timeout=10_000)

        facilitator_context = browser.new_context(locale="fr-FR")
        sign_in(facilitator_context, live_server.url, board.created_by)
        facilitator = facilitator_context.new_page()
        facilitator.goto(url)
        expect(facilitator.get_by_role("heading", name="Animer le tableau")).to_be_visible()
        for page in (first, facilitator):
            for width in (1280, 390):
                page.set_viewport_size({"width": width, "height": 900})
                axe(page)
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, width
        facilitator_context.close()

        services.board_close(board)
        expect(first.get_by_text("clos : il n'accepte plus de cartes ni de votes")).to_be_visible(timeout=10_000)
        expect(first.get_by_role("button", name="Ajouter la carte")).to_have_count(0)
    finally:
        first_context.close()
        second_context.close()
