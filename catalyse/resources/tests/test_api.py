"""GET /api/v1/resources (and /tools): a paginated contract with a total count, filters, and clear 4xx."""

import pytest

from catalyse.initiatives.models import Theme
from catalyse.resources.models import Family, ResourceType, Visibility

from .factories import CollectionFactory, ResourceFactory, ToolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(org, initiative):
    for n in range(25):
        ResourceFactory(title=f"Publication {n:02d}", resource_type=ResourceType.PUBLICATION)
    guide = ResourceFactory(
        title="Guide lié",
        resource_type=ResourceType.GUIDE,
        owner_organisation=org,
        authors_text="Collectif ; Atelier",
        tags=["guide"],
    )
    guide.themes.set([Theme.objects.get(code="emploi")])
    guide.collections.set([CollectionFactory(slug="outils-numeriques")])
    guide.initiatives.set([initiative])
    ResourceFactory(title="Privée", owner_organisation=org, visibility=Visibility.PRIVATE)
    return guide


def test_the_list_is_paginated_with_a_total_count(client, many):
    first = client.get("/api/v1/resources?limit=10").json()
    assert first["count"] == 26 and len(first["items"]) == 10 and first["limit"] == 10
    last = client.get("/api/v1/resources?limit=10&offset=20").json()
    assert len(last["items"]) == 6
    titles = {i["title"] for i in first["items"]} | {i["title"] for i in last["items"]}
    assert "Privée" not in titles


def test_filters_narrow_the_list(client, many, initiative):
    for query in (
        "type=guide",
        "theme=emploi",
        "collection=outils-numeriques",
        f"initiative={initiative.slug}",
        "q=lié",
    ):
        body = client.get(f"/api/v1/resources?{query}").json()
        assert body["count"] == 1 and body["items"][0]["title"] == "Guide lié", query


def test_the_detail_carries_the_bibliographic_record(client, many, org, initiative):
    body = client.get(f"/api/v1/resources/{many.pk}").json()
    assert body["owner"] == {"kind": "organisation", "name": org.name, "url": org.get_absolute_url()}
    assert body["authors"] == ["Collectif", "Atelier"] and body["themes"] == ["emploi"]
    assert body["collections"] == ["outils-numeriques"] and body["initiatives"] == [initiative.slug]
    assert body["link"] == "https://exemple.fr/guide" and body["resource_type"] == "guide"


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("type=roman", "type"),
        ("theme=inconnu", "theme"),
        ("collection=inconnue", "collection"),
        ("territory=00000", "territory"),
        ("initiative=inconnue", "initiative"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_bad_filters_answer_422_naming_the_parameter(client, query, word):
    response = client.get(f"/api/v1/resources?{query}")
    assert response.status_code == 422 and word in response.json()["detail"]


def test_unknown_and_private_resources_answer_404(client, many):
    assert client.get("/api/v1/resources/999999").status_code == 404
    private = many.owner_organisation.resources.get(title="Privée")
    assert client.get(f"/api/v1/resources/{private.pk}").json() == {"detail": "Introuvable."}
    assert client.get("/api/v1/resources/abc").status_code in (404, 422)


def test_the_toolbox_is_listed_by_family(client, org):
    ToolFactory(name="Observatoire", family=Family.DATA, provider=org)
    ToolFactory(name="Média", family=Family.MEDIA, provider_text="Rédaction")
    body = client.get("/api/v1/resources/tools?family=medias").json()
    assert body["count"] == 1 and body["items"][0]["provider"] == "Rédaction"
    assert client.get("/api/v1/resources/tools").json()["count"] == 2
    assert client.get("/api/v1/resources/tools?family=jeux").status_code == 422
