"""GET /api/v1/graph: nodes, edges and measures; bad filters give a readable 422, unknown organisations 404."""

import pytest

from .graph_data import alliance, organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def path_network():
    a, b, c = organisations("Alpha", "Beta", "Gamma")
    b.profile = "entreprise"
    b.save()
    alliance("Premier lien", a, b)
    alliance("Second lien", b, c, themes=("sante",))


def test_api_returns_nodes_edges_and_measures(client, path_network):
    response = client.get("/api/v1/graph")
    assert response.status_code == 200
    data = response.json()
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["beta"]["degree"] == 2 and by_id["beta"]["betweenness"] == 1.0 and by_id["beta"]["articulation"]
    assert by_id["alpha"]["url"] == "/organisations/alpha/"
    assert {(e["source"], e["target"]) for e in data["edges"]} == {("alpha", "beta"), ("beta", "gamma")}
    assert data["measures"]["bridging_actors"] == ["beta"]
    assert data["measures"]["node_count"] == 3


def test_api_filters_by_theme(client, path_network):
    data = client.get("/api/v1/graph", {"theme": "sante"}).json()
    assert {n["id"] for n in data["nodes"]} == {"beta", "gamma"}


def test_api_bad_filter_is_a_readable_422(client):
    response = client.get("/api/v1/graph", {"since": "demain"})
    assert response.status_code == 422
    assert "Date invalide" in response.json()["detail"]


def test_api_unknown_organisation_is_a_404(client):
    response = client.get("/api/v1/graph", {"organisation": "personne"})
    assert response.status_code == 404
    assert response.json()["detail"]


def test_api_graph_is_documented_in_openapi(client):
    assert "/api/v1/graph" in client.get("/api/v1/openapi.json").json()["paths"]


def test_api_answer_matches_its_documented_schema(client, path_network):
    from catalyse.initiatives.api_graph import GraphOut

    data = client.get("/api/v1/graph").json()
    assert GraphOut.model_validate(data).model_dump(mode="json") == data
