import pytest

from catalyse.search.outbox import index_rebuild

from .conftest import initiative, organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browsed(page, backend):
    initiative("Alliance pour la mobilité rurale", "Covoiturage solidaire", themes=["mobilite"])
    organisation("Alimentation locale en cantine", "Circuits courts")
    index_rebuild(backend)
    return page


def test_header_box_autocompletes(browsed):
    page = browsed
    page.goto(page.base_url + "/recherche/")
    page.fill("#header-q", "alli")
    page.wait_for_selector("#header-q-suggestions li a")
    assert page.inner_text("#header-q-suggestions") == "Alliance pour la mobilité rurale"


def test_facet_navigation_narrows_results(browsed, axe):
    page = browsed
    page.goto(page.base_url + "/recherche/?q=")
    axe(page)
    assert "2 résultats" in page.inner_text(".search-count")
    page.click("[data-facet=kind] a:has-text('Organisation')")
    page.wait_for_url("**kind=organisation**")
    assert "1 résultat" in page.inner_text(".search-count")
    assert page.inner_text(".hits").count("Alimentation locale") == 1
