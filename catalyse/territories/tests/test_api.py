import pytest

pytestmark = pytest.mark.django_db


def test_territory_list_is_paginated_with_a_total_count(client):
    response = client.get("/api/v1/territories", {"q": "courcy", "limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 3 and body["limit"] == 2 and body["offset"] == 0
    assert len(body["items"]) == 2
    assert body["items"][0]["name"] == "Courcy"


def test_territory_list_filters_by_level(client):
    body = client.get("/api/v1/territories", {"level": "region", "limit": 100}).json()
    assert body["count"] == 26
    assert {item["level"] for item in body["items"]} == {"region"}


def test_territory_detail_has_parents_and_children(client):
    body = client.get("/api/v1/territories/epci/246200364").json()  # CA de Lens - Liévin
    assert body["name"] == "CA de Lens - Liévin"
    assert [p["level"] for p in body["parents"]] == ["region", "departement"]
    assert "62528" in {c["code"] for c in body["children"]}
    assert body["typology"]


def test_codes_collide_across_levels_so_the_level_disambiguates(client):
    assert client.get("/api/v1/territories/region/84").json()["name"] == "Auvergne-Rhône-Alpes"
    assert client.get("/api/v1/territories/departement/84").json()["name"] == "Vaucluse"


def test_unknown_territory_is_a_json_404(client):
    response = client.get("/api/v1/territories/commune/00000")
    assert response.status_code == 404
    assert "00000" in response.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 1000}, {"offset": -1}, {"limit": "abc"}, {"level": "canton"}],
)
def test_bad_parameters_are_a_readable_422(client, params):
    response = client.get("/api/v1/territories", params)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_bad_level_in_path_is_422_not_500(client):
    response = client.get("/api/v1/territories/canton/123")
    assert response.status_code == 422


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/territories" in response.json()["paths"]
