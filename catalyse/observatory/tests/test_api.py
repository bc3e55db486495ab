import pytest

from catalyse.observatory import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded():
    demo.load()


def test_indicator_catalogue_is_paginated_with_a_count_and_says_demo(client, demo_loaded):
    data = client.get("/api/v1/observatory/indicators?limit=2").json()
    assert data["count"] >= 6 and len(data["items"]) == 2
    assert data["items"][0]["is_demo"] is True


def test_values_of_an_indicator_below_a_parent(client, demo_loaded):
    data = client.get("/api/v1/observatory/indicators/taux-chomage/values?level=epci&parent=departement:62").json()
    assert data["count"] > 5
    item = data["items"][0]
    assert item["level"] == "epci" and item["computed"] is True and item["year"] == 2022
    assert client.get("/api/v1/observatory/indicators/nope/values").status_code == 404
    bad = client.get("/api/v1/observatory/indicators/taux-chomage/values?parent=zzz:1")
    assert bad.status_code == 400 and "parent" in bad.json()["detail"]


def test_a_territory_indicators_and_similar(client, demo_loaded):
    values = client.get("/api/v1/territories/commune/62528/indicators").json()
    assert {v["indicator"] for v in values} >= {"taux-chomage", "taux-pauvrete"}
    assert all(v["computed"] is False for v in values)
    similar = client.get("/api/v1/territories/departement/62/similar").json()
    assert len(similar) == 10 and similar[0]["level"] == "departement" and "close" in similar[0]["reasons"]
    assert client.get("/api/v1/territories/commune/00000/similar").status_code == 404
