import json

import pytest

from catalyse.actors.models import Membership, MembershipRole, Organisation, PublicationStatus, Trade

pytestmark = pytest.mark.django_db
URL = "/api/v1/organisations"


def slugs(response) -> list[str]:
    return sorted(item["slug"] for item in response.json()["items"])


def post(client, data):
    return client.post(URL, json.dumps(data), content_type="application/json")


def patch(client, org, data):
    return client.patch(f"{URL}/{org.slug}", json.dumps(data), content_type="application/json")


NEW = {"name": "Fabrique des communs", "profile": "interet_general", "head_office": "62528",
       "trades": ["accompagnement"], "competences": ["essaimage"], "territories": ["region:32"],
       "siren": "732 829 320", "email": "prive@exemple.fr", "description": "Une *fabrique*."}


# ---- reading --------------------------------------------------------------------------------------------------

@pytest.mark.usefixtures("browse_path")  # SQL and search-index paths
def test_list_is_paginated_with_a_total_count(client, directory):
    data = client.get(URL, {"limit": 2, "offset": 1}).json()
    assert data["count"] == len(directory) and data["limit"] == 2 and data["offset"] == 1
    assert [item["name"] for item in data["items"]] == ["Bêta Solidarités", "Delta Université"]


@pytest.mark.usefixtures("browse_path")  # SQL and search-index paths
def test_list_takes_the_same_filters_as_the_page(client, directory):
    by_slug = {o.name: o.slug for o in directory}
    assert slugs(client.get(URL + "?profil=interet_general&profil=academique&region=11")) == [
        by_slug["Bêta Solidarités"]]
    assert slugs(client.get(URL, {"metier": "gestion-lieu", "perimetre": "national"})) == [
        by_slug["Gamma Coopérative"]]
    assert slugs(client.get(URL, {"territoire": "departement:974"})) == [by_slug["Delta Université"]]
    assert slugs(client.get(URL, {"q": "epsilon"})) == [by_slug["Épsilon Tiers-lieu"]]
    assert len(slugs(client.get(URL, {"catalyseur": "false"}))) == 2
    assert client.get(URL, {"typologie": "outre_mer"}).json()["count"] == 1


@pytest.mark.usefixtures("browse_path")  # SQL and search-index paths
def test_items_describe_the_organisation_without_its_email(client, org):
    org.email = "prive@exemple.fr"
    org.save()
    org.trades.set(Trade.objects.filter(code="accompagnement"))
    item = client.get(URL).json()["items"][0]
    assert item["slug"] == org.slug and item["trades"] == ["accompagnement"]
    assert item["head_office"]["code"] == "62528" and item["region"]["name"] == "Hauts-de-France"
    assert item["page"] == org.get_absolute_url() and item["version"] == org.version
    assert "email" not in item and "prive@" not in json.dumps(item)


@pytest.mark.parametrize("query, field", [
    ("profil=inconnu", "profil"), ("perimetre=mondial", "perimetre"), ("typologie=lunaire", "typologie"),
    ("metier=plomberie", "metier"), ("territoire=planete:1", "territoire"), ("territoire=commune:00000", "territoire"),
    ("tri=hasard", "tri"), ("limit=1000", "limit"), ("offset=100000000000000000000", "offset"),
    ("catalyseur=peut-etre", "catalyseur"),
])
def test_invalid_filter_values_are_a_422_saying_what_is_wrong(client, db, query, field):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 422
    assert field in response.json()["detail"]


@pytest.mark.usefixtures("browse_path")  # SQL and search-index paths
def test_unpublished_organisations_are_listed_only_for_those_who_may_see_them(client, org, pending_org, member,
                                                                               outsider):
    org.status = PublicationStatus.DRAFT
    org.save()
    assert client.get(URL).json()["count"] == 0
    client.force_login(outsider)
    assert client.get(URL).json()["count"] == 0
    client.force_login(member)
    assert slugs(client.get(URL)) == [org.slug]


def test_one_organisation(client, org):
    data = client.get(f"{URL}/{org.slug}").json()
    assert data["name"] == org.name and data["profile"] == "interet_general"


def test_unknown_or_invisible_organisation_is_a_json_404(client, pending_org, outsider):
    for slug in ("nulle-part", pending_org.slug):
        response = client.get(f"{URL}/{slug}")
        assert response.status_code == 404 and "detail" in response.json()
    client.force_login(outsider)
    assert client.get(f"{URL}/{pending_org.slug}").status_code == 404


# ---- creating -------------------------------------------------------------------------------------------------

def test_creating_needs_authentication(client, db):
    response = post(client, NEW)
    assert response.status_code == 401 and "detail" in response.json()
    assert not Organisation.objects.filter(name=NEW["name"]).exists()


def test_a_member_creates_an_organisation_that_waits_for_moderation(client, outsider):
    client.force_login(outsider)
    response = post(client, NEW)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "pending" and data["siren"] == "732829320"
    assert data["head_office"]["name"] == "Loos-en-Gohelle" and data["territories"][0]["code"] == "32"
    assert data["trades"] == ["accompagnement"] and data["competences"] == ["essaimage"]
    org = Organisation.objects.get(slug=data["slug"])
    assert org.email == "prive@exemple.fr"  # stored for the network, never returned
    assert "email" not in data
    assert Membership.objects.filter(organisation=org, user=outsider, role=MembershipRole.EDITOR).exists()


def test_an_animator_creation_is_published(client, animator):
    client.force_login(animator)
    response = post(client, {**NEW, "is_catalyst": True, "joined_on": "2023-01-15"})
    assert response.json()["status"] == "published" and response.json()["is_catalyst"] is True


@pytest.mark.parametrize("change, message", [
    ({"siren": "123456789"}, "siren: SIREN invalide"),
    ({"head_office": "99999"}, "head_office_label: Aucune commune"),
    ({"territories": ["region:zz"]}, "territories: Territoire inconnu"),
    ({"trades": ["plomberie"]}, "trades:"),
    ({"website": "pas une adresse"}, "website:"),
    ({"profile": "inconnu"}, "profile"),
    ({"name": ""}, "name:"),
    ({"latitude": 999, "longitude": 2.8}, "latitude: Latitude hors limites"),
    ({"latitude": 50.4, "longitude": 1e308}, "longitude: Longitude hors limites"),
    ({"latitude": -90.5, "longitude": -180.5}, "latitude: Latitude hors limites"),
])
def test_invalid_creation_is_a_422_with_the_field_messages(client, outsider, change, message):
    client.force_login(outsider)
    response = post(client, {**NEW, **change})
    assert response.status_code == 422
    assert message in response.json()["detail"]


# ---- changing -------------------------------------------------------------------------------------------------

def test_an_editor_changes_some_fields_and_keeps_the_others(client, org, owner):
    org.trades.set(Trade.objects.filter(code="gestion-lieu"))
    client.force_login(owner)
    response = patch(client, org, {"version": org.version, "description": "Nouvelle présentation",
                                   "rna": "w623000123"})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["description"] == "Nouvelle présentation" and data["rna"] == "W623000123"
    assert data["trades"] == ["gestion-lieu"] and data["head_office"]["code"] == "62528"
    assert data["version"] == org.version + 1


def test_a_change_from_a_stale_version_is_a_409(client, org, owner):
    client.force_login(owner)
    assert patch(client, org, {"version": org.version, "description": "Première"}).status_code == 200
    response = patch(client, org, {"version": org.version, "description": "Seconde"})
    assert response.status_code == 409
    assert "modifiée entre-temps" in response.json()["detail"]
    org.refresh_from_db()
    assert org.description == "Première"


def test_changing_needs_the_version(client, org, owner):
    client.force_login(owner)
    assert patch(client, org, {"description": "Sans version"}).status_code == 422


def test_a_change_to_coordinates_out_of_range_is_a_422(client, org, owner):
    client.force_login(owner)
    response = patch(client, org, {"version": org.version, "latitude": 999, "longitude": 2.8})
    assert response.status_code == 422 and "latitude: Latitude hors limites" in response.json()["detail"]
    org.refresh_from_db()
    assert org.latitude != 999


def test_who_may_change_an_organisation(client, org, owner, member, outsider, animator):
    assert patch(client, org, {"version": org.version, "name": "X"}).status_code == 401
    for user, status in ((member, 403), (outsider, 403), (animator, 200)):
        client.force_login(user)
        org.refresh_from_db()
        assert patch(client, org, {"version": org.version, "legal_form": "SCIC"}).status_code == status, user


def test_an_invisible_organisation_is_a_404_even_to_change(client, pending_org, outsider):
    client.force_login(outsider)
    assert patch(client, pending_org, {"version": 1, "name": "X"}).status_code == 404


def test_invalid_change_is_a_422(client, org, owner):
    client.force_login(owner)
    response = patch(client, org, {"version": org.version, "siret": "12345678901234"})
    assert response.status_code == 422 and "SIRET invalide" in response.json()["detail"]


def test_the_openapi_document_describes_the_organisation_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/organisations"])
    assert {"get", "patch"} <= set(paths["/api/v1/organisations/{slug}"])
