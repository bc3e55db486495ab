"""The /graphe/ page, its CSV exports (elements/connections layout) and the embeds on other pages."""

import csv
import io
import zipfile

import pytest
from django.template import Context, Template

from .graph_data import alliance, organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    a, b, c = organisations("Alpha", "Beta", "Gamma")
    c.profile = "academique"
    c.save()
    alliance("Premier lien", a, b)
    alliance("Second lien", b, c, themes=("sante",))
    alliance("Encore ensemble", a, b)
    return a, b, c


def rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_graph_page_shows_counts_table_and_exports(client, network):
    response = client.get("/graphe/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 organisations, 2 liens" in html
    assert 'id="graph-page-data"' in html and 'data-graph-json="graph-page-data"' in html
    assert "graph-table" in html and "Beta" in html
    assert "/graphe/elements.csv" in html and "/graphe/connexions.csv" in html
    assert "/graphe/graphe-partenariats.zip" in html
    assert "<script>" not in html  # only external scripts and a JSON data block (CSP)


def test_graph_page_keeps_filters_in_export_links(client, network):
    html = client.get("/graphe/", {"theme": "sante"}).content.decode()
    assert "/graphe/elements.csv?theme=sante" in html
    assert "/api/v1/graph?theme=sante" in html
    assert "2 organisations, 1 lien" in html


def test_graph_page_with_a_bad_filter_explains_it(client):
    response = client.get("/graphe/", {"theme": "inconnu"})
    assert response.status_code == 400
    assert "Thème inconnu" in response.content.decode()


def test_nav_links_to_the_graph(client):
    assert 'href="/graphe/"' in client.get("/").content.decode()


def test_elements_csv_has_the_mapping_tool_columns(client, network):
    elements = rows(client.get("/graphe/elements.csv"))
    assert list(elements[0])[:3] == ["ID", "Label", "Type"]
    beta = next(e for e in elements if e["ID"] == "beta")
    assert beta["Label"] == "Beta" and beta["Degree"] == "2" and beta["Articulation point"] == "oui"


def test_connections_csv_has_weights(client, network):
    connections = rows(client.get("/graphe/connexions.csv"))
    assert list(connections[0])[:4] == ["From", "To", "Type", "Weight"]
    weights = {(c["From"], c["To"]): c["Weight"] for c in connections}
    assert weights == {("alpha", "beta"): "2", ("beta", "gamma"): "1"}
    ab = next(c for c in connections if c["From"] == "alpha")
    assert set(ab["Initiatives"].split(" | ")) == {"premier-lien", "encore-ensemble"}


def test_csv_neutralises_formula_like_names(client):
    alliance("Formule", *organisations("=HYPERLINK(1)", "Normale"))
    elements = rows(client.get("/graphe/elements.csv"))
    assert "'=HYPERLINK(1)" in {e["Label"] for e in elements}


def test_zip_holds_both_tables(client, network):
    response = client.get("/graphe/graphe-partenariats.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["connections.csv", "elements.csv"]
    assert archive.read("connections.csv").decode("utf-8-sig").startswith("From,To,Type,Weight")


def test_export_with_a_bad_filter_is_a_400(client):
    assert client.get("/graphe/connexions.csv", {"since": "x"}).status_code == 400


def render(source: str, **context) -> str:
    return Template("{% load partnership_graph %}" + source).render(Context(context))


def test_organisation_embed_fetches_its_ego_network_from_the_api(network):
    html = render("{% graph_embed organisation=org %}", org=network[1])
    assert 'data-graph-url="/api/v1/graph?organisation=beta"' in html
    assert 'href="/graphe/?organisation=beta"' in html
    assert "cytoscape.min.js" in html and "graph.js" in html


def test_territory_embed_fetches_the_territory_graph(network):
    from catalyse.territories.models import Territory

    pas_de_calais = Territory.objects.get(level="departement", code="62", kind="current")
    html = render("{% graph_embed territory=t %}", t=pas_de_calais)
    assert 'data-graph-url="/api/v1/graph?territory=departement%3A62"' in html
    assert 'href="/graphe/?territoire=departement%3A62"' in html


def test_organisation_page_embeds_its_network_and_suggestions(client, network):
    from catalyse.actors.tests.factories import OrganisationFactory, commune

    OrganisationFactory(name="Voisine", slug="voisine", profile="entreprise", head_office=commune("62498"))
    html = client.get("/organisations/alpha/").content.decode()
    assert 'data-graph-url="/api/v1/graph?organisation=alpha"' in html
    assert "Acteurs complémentaires près de chez vous" in html and "Voisine" in html


def test_territory_page_embeds_the_territory_graph(client):
    html = client.get("/territoires/departement/62/").content.decode()
    assert 'data-graph-url="/api/v1/graph?territory=departement%3A62"' in html


def test_graph_page_around_an_organisation(client, network):
    html = client.get("/graphe/", {"organisation": "gamma"}).content.decode()
    assert "Réseau de Gamma" in html and 'name="organisation" value="gamma"' in html
    assert "2 organisations, 1 lien" in html


def test_graph_page_around_an_unknown_organisation_is_a_404(client):
    assert client.get("/graphe/", {"organisation": "personne"}).status_code == 404
