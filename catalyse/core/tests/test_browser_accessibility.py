"""axe-core (WCAG 2.1 A and AA) finds no violation on the main pages, filled with the demo data, at desktop
and phone widths; at 390 px (a phone) no main page scrolls sideways either."""

import pytest

from .main_pages import MAIN_PAGES, OVERFLOWING, demo_site, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(territories, settings, tmp_path):
    return demo_site(settings, tmp_path)


@pytest.mark.parametrize("width", [1280, 390])
def test_main_pages_have_no_accessibility_violation_nor_sideways_scroll(browser, live_server, people, axe, width):
    failures = []
    contexts = {}
    for name, url, who in MAIN_PAGES:
        if who not in contexts:
            contexts[who] = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
            if who:
                sign_in(contexts[who], live_server.url, people[who])
        page = contexts[who].new_page()
        response = page.goto(live_server.url + url)
        assert response.ok, f"{name}: {response.status}"
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            sticking_out = ", ".join(page.evaluate(OVERFLOWING))
            failures.append(f"[{name}] {url} scrolls sideways: {scroll_width} px — {sticking_out}")
        try:
            axe(page)
        except pytest.fail.Exception as error:
            failures.append(f"[{name}] {error}")
        page.close()
    for context in contexts.values():
        context.close()
    assert not failures, "\n".join(failures)
