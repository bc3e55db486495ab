import re

import pytest

pytestmark = pytest.mark.django_db


def test_commune_page_shows_breadcrumb_population_and_typology(client):
    response = client.get("/territoires/commune/62528/")
    html = response.content.decode()
    assert response.status_code == 200
    expected = ("Hauts-de-France", "Pas-de-Calais", "CA de Lens - Liévin", "Loos-en-Gohelle", "6\xa0799", "Périurbain")
    for text in expected:
        assert text in html
    assert html.index("Hauts-de-France") < html.index("Pas-de-Calais") < html.index("CA de Lens")


def test_departement_page_lists_its_epci_with_totals(client):
    html = client.get("/territoires/departement/62/").content.decode()
    assert "CA de Lens - Liévin" in html
    assert "communes," in html and "habitants au total" in html


def test_unknown_territory_page_is_404(client):
    assert client.get("/territoires/commune/00000/").status_code == 404
    assert client.get("/territoires/canton/62/").status_code == 404


def test_search_page_without_javascript_lists_matches(client):
    html = client.get("/territoires/", {"q": "courcy"}).content.decode()
    assert "Courcy (14)" in html and "Courcy (50)" in html and "Courcy (51)" in html


def test_home_page_is_french_with_landmarks_and_a_strict_csp(client):
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    for landmark in ('role="banner"', "<main", 'role="contentinfo"', 'class="skip-link"'):
        assert landmark in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_about_page_names_the_data_sources_and_licences(client):
    html = client.get("/a-propos/").content.decode()
    assert "decoupage-administratif" in html and "MIT" in html and "CC BY 4.0" in html


def test_a_region_counts_its_communes_with_a_thousands_separator(client):
    html = client.get("/territoires/region/32/").content.decode()
    assert re.search(r"\b\d\xa0\d{3} communes, ", html)
