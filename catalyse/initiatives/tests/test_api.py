import pytest
from django.test import Client

from catalyse.actors.models import PublicationStatus
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.initiatives.models import Initiative, Role


@pytest.fixture
def api(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.mark.usefixtures("browse_path")  # SQL and search-index paths
def test_list_is_paginated_with_a_total_count(carried, members_only, client):
    data = client.get("/api/v1/initiatives?limit=1").json()
    assert (data["count"], data["limit"], len(data["items"])) == (1, 1, 1)
    assert data["items"][0]["slug"] == carried.slug


@pytest.mark.usefixtures("browse_path")  # SQL and search-index paths
def test_list_filters_like_the_page(carried, client):
    carried.themes.set([])
    assert client.get("/api/v1/initiatives?theme=emploi").json()["count"] == 0
    assert client.get("/api/v1/initiatives?q=MINIERE").json()["count"] == 1


@pytest.mark.parametrize("query", ["odd=18", "theme=inconnu", "stade=fini", "territoire=commune:00000",
                                   "limit=1000", "offset=-1", "tri=hasard"])
def test_bad_parameters_give_a_readable_422(query, client, db):
    response = client.get(f"/api/v1/initiatives?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_detail_lists_partners_with_roles_and_dates(carried, org, client):
    data = client.get(f"/api/v1/initiatives/{carried.slug}").json()
    assert data["partners"] == [{"organisation": org.slug, "organisation_name": org.name, "profile": org.profile,
                                 "role": "porteur", "joined_on": None, "left_on": None}]


def test_invisible_initiative_is_404(partners_only, client):
    assert client.get(f"/api/v1/initiatives/{partners_only.slug}").status_code == 404


def test_member_creates_an_initiative_that_waits_for_moderation(api, org):
    other = OrganisationFactory(name="Université du territoire")
    response = api.post("/api/v1/initiatives", {
        "title": "Tiers-lieu universitaire", "summary": "Un pré-incubateur ouvert sur le territoire.",
        "themes": ["education", "entrepreneuriat"], "sdgs": [4, 9], "territories": ["commune:62528"],
        "partners": [{"organisation": org.slug, "role": "porteur"}, {"organisation": other.slug,
                                                                      "role": "partenaire", "joined_on": "2021-09-01"}],
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["publication"] == PublicationStatus.PENDING
    assert sorted(p["role"] for p in data["partners"]) == ["partenaire", "porteur"]
    assert data["territories"][0]["code"] == "62528"


@pytest.mark.parametrize("sdgs", [[18], [0], [2**80]])
def test_sdg_numbers_outside_1_to_17_are_a_422_not_a_server_error(api, org, sdgs):
    response = api.post("/api/v1/initiatives", {"title": "Essai", "summary": "Essai", "sdgs": sdgs},
                        content_type="application/json")
    assert response.status_code == 422
    assert "sdgs" in response.json()["detail"]


def test_a_version_never_read_is_a_conflict_even_when_huge(api, carried):
    response = api.patch(f"/api/v1/initiatives/{carried.slug}", {"version": 2**80, "title": "Autre"},
                         content_type="application/json")
    assert response.status_code == 409


def test_creation_requires_authentication(client, db):
    response = client.post("/api/v1/initiatives", {"title": "x", "summary": "y"}, content_type="application/json")
    assert response.status_code == 401


def test_creation_with_unknown_theme_is_422(api):
    response = api.post("/api/v1/initiatives", {"title": "x", "summary": "y", "themes": ["licornes"]},
                        content_type="application/json")
    assert response.status_code == 422 and "licornes" in response.json()["detail"]


def test_patch_with_the_current_version_saves(api, carried):
    response = api.patch(f"/api/v1/initiatives/{carried.slug}", {"version": carried.version, "sdgs": [11]},
                         content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["sdgs"] == [11] and response.json()["version"] == carried.version + 1
    carried.refresh_from_db()
    assert carried.title == "Transition de la ville minière"  # untouched fields kept


def test_patch_from_an_old_version_is_409(api, carried):
    api.patch(f"/api/v1/initiatives/{carried.slug}", {"version": carried.version, "summary": "A"},
              content_type="application/json")
    response = api.patch(f"/api/v1/initiatives/{carried.slug}", {"version": carried.version, "summary": "B"},
                         content_type="application/json")
    assert response.status_code == 409
    assert Initiative.objects.get(pk=carried.pk).summary == "A"


def test_patch_by_someone_who_may_not_edit_is_403(carried, member):
    client = Client()
    client.force_login(member)  # a plain member of the carrying organisation, not an editor
    response = client.patch(f"/api/v1/initiatives/{carried.slug}", {"version": 1, "summary": "x"},
                            content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Vous ne pouvez pas modifier cet élément."}


def test_editor_of_a_mere_partner_may_not_edit(carried, owner):
    carried.partnerships.update(role=Role.FINANCEUR)
    client = Client()
    client.force_login(owner)
    response = client.patch(f"/api/v1/initiatives/{carried.slug}", {"version": 1, "summary": "x"},
                            content_type="application/json")
    assert response.status_code == 403
