import pytest

from catalyse.actors.choropleth import level_of, quantile_bounds
from catalyse.actors.models import PublicationStatus
from catalyse.actors.tests.factories import OrganisationFactory, commune

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("browse_path")]  # SQL and search-index paths


def test_the_map_page_draws_every_metropolitan_departement_as_a_directory_link(client):
    OrganisationFactory()  # Loos-en-Gohelle, Pas-de-Calais
    html = client.get("/carte/").content.decode()
    assert html.count("data-departement=") == 96
    assert 'href="/organisations/?catalyseur=1&amp;departement=62"' in html
    assert "Pas-de-Calais (62) : 1" in html
    assert 'role="region"' in html and 'data-endpoint="/api/v1/map/organisations"' in html


def test_overseas_departements_are_listed_with_their_counts(client):
    OrganisationFactory(head_office=commune("97411"))
    html = client.get("/carte/").content.decode()
    assert "La Réunion</a> : 1" in html and "Mayotte</a> : 0" in html


def test_the_choropleth_counts_follow_the_filters_and_hide_unpublished(client):
    OrganisationFactory(is_catalyst=False)
    OrganisationFactory(status=PublicationStatus.DRAFT)
    assert "Pas-de-Calais (62) : 0" in client.get("/carte/").content.decode()
    assert "Pas-de-Calais (62) : 1" in client.get("/carte/", {"catalyseur": ""}).content.decode()


def test_no_inline_script_or_style_on_the_map_page(client):
    html = client.get("/carte/").content.decode()
    assert "style=" not in html and "<script>" not in html


def test_quantile_classes():
    bounds = quantile_bounds([0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55])
    assert bounds == sorted(set(bounds)) and bounds[-1] == 55 and len(bounds) <= 5
    assert level_of(0, bounds) == 0 and level_of(1, bounds) == 1 and level_of(55, bounds) == len(bounds)
    assert quantile_bounds([0, 0]) == []
