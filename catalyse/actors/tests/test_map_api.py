import pytest

from catalyse.actors.models import Profile, PublicationStatus
from catalyse.actors.queries import map_cell_size
from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory, commune

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("browse_path")]  # SQL and search-index paths
FRANCE = "-5.5,41,10,51.5"
URL = "/api/v1/map/organisations"


def spread(n: int, code: str, **fields) -> list:
    """n organisations around a commune, a few hundred metres apart."""
    return [OrganisationFactory(head_office=commune(code), **fields) for _ in range(n)]


def test_clusters_and_points_add_up_to_the_count(client, monkeypatch):
    monkeypatch.setattr("catalyse.actors.queries.MAP_POINTS_LIMIT", 0)
    spread(3, "62528")  # Loos-en-Gohelle
    spread(2, "13055")  # Marseille
    spread(1, "29019")  # Brest: alone in its cell, so a point
    body = client.get(URL, {"bbox": FRANCE, "zoom": 5}).json()
    assert body["count"] == 6
    assert sum(c["count"] for c in body["clusters"]) + len(body["points"]) == 6
    assert sorted(c["count"] for c in body["clusters"]) == [2, 3]
    assert [p["lat"] for p in body["points"]] == [commune("29019").latitude]


def test_few_organisations_in_view_come_back_as_points(client):
    orgs = spread(3, "62528")
    body = client.get(URL, {"bbox": FRANCE, "zoom": 6}).json()
    assert body["clusters"] == [] and body["count"] == 3
    assert {p["slug"] for p in body["points"]} == {o.slug for o in orgs}
    assert set(body["points"][0]) == {"slug", "name", "lat", "lon", "profile", "commune", "trades"}


def test_only_organisations_inside_the_box_are_counted(client):
    spread(2, "62528")
    spread(1, "97411")  # La Réunion
    assert client.get(URL, {"bbox": FRANCE, "zoom": 5}).json()["count"] == 2
    assert client.get(URL, {"bbox": "55,-21.5,56,-20.5", "zoom": 9}).json()["count"] == 1


def test_the_directory_filters_apply(client):
    spread(2, "62528", profile=Profile.COMPANY)
    spread(1, "62528", profile=Profile.ACADEMIC, is_catalyst=False)
    assert client.get(URL, {"bbox": FRANCE, "zoom": 5, "profil": "entreprise"}).json()["count"] == 2
    assert client.get(URL, {"bbox": FRANCE, "zoom": 5, "catalyseur": "0"}).json()["count"] == 1
    assert client.get(URL, {"bbox": FRANCE, "zoom": 5, "departement": "13"}).json()["count"] == 0


def test_unpublished_organisations_never_appear_publicly(client, monkeypatch):
    monkeypatch.setattr("catalyse.actors.queries.MAP_POINTS_LIMIT", 0)
    spread(1, "62528")
    for status in (PublicationStatus.DRAFT, PublicationStatus.PENDING, PublicationStatus.REJECTED):
        spread(2, "62528", status=status)
    for zoom in (5, 16):
        body = client.get(URL, {"bbox": FRANCE, "zoom": zoom}).json()
        assert body["count"] == 1 and len(body["points"]) == 1 and body["clusters"] == []


def test_a_member_sees_their_own_unpublished_organisation(client):
    draft = OrganisationFactory(status=PublicationStatus.DRAFT)
    client.force_login(MembershipFactory(organisation=draft).user)
    assert [p["slug"] for p in client.get(URL, {"bbox": FRANCE, "zoom": 5}).json()["points"]] == [draft.slug]


@pytest.mark.parametrize("params", [
    {"bbox": "1,2,3", "zoom": 5},
    {"bbox": "a,b,c,d", "zoom": 5},
    {"bbox": "10,41,-5,51", "zoom": 5},  # west east of east
    {"bbox": "-5,41,10,95", "zoom": 5},
    {"bbox": FRANCE, "zoom": 19},
    {"bbox": FRANCE, "zoom": -1},
    {"bbox": FRANCE, "zoom": "x"},
    {"zoom": 5},
])
def test_bad_box_or_zoom_is_a_readable_422(client, params):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_cells_shrink_as_the_zoom_grows():
    assert map_cell_size(5) == pytest.approx(2.8125)
    assert map_cell_size(6) == map_cell_size(5) / 2


def test_the_cached_grid_follows_saves_at_once(client, monkeypatch):
    monkeypatch.setattr("catalyse.actors.queries.MAP_POINTS_LIMIT", 0)
    first, second = spread(2, "62528")
    params = {"bbox": FRANCE, "zoom": 5}
    assert client.get(URL, params).json()["count"] == 2
    OrganisationFactory(head_office=commune("62528"))
    assert client.get(URL, params).json()["count"] == 3
    first.status = PublicationStatus.REJECTED
    first.save()
    assert client.get(URL, params).json()["count"] == 2


def test_a_small_pan_inside_the_same_cells_gives_the_same_clusters(client, monkeypatch):
    monkeypatch.setattr("catalyse.actors.queries.MAP_POINTS_LIMIT", 0)
    spread(2, "62528")
    spread(2, "13055")
    moved = "-5.4,41.1,10.1,51.4"
    assert client.get(URL, {"bbox": FRANCE, "zoom": 5}).json() == client.get(URL, {"bbox": moved, "zoom": 5}).json()
