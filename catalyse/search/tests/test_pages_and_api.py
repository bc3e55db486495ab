import pytest
from django.core import mail

from catalyse.search.alerts import saved_search_create, search_alerts_send
from catalyse.search.models import SavedSearch

from .conftest import initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(reindex):
    initiative("Alliance pour la mobilité rurale", "Covoiturage <em>solidaire</em>", themes=["mobilite"])
    initiative("Jardin partagé", "Potager des habitants", themes=["alimentation"])
    return reindex()


def test_api_returns_hits_facets_and_suggestion(client, indexed):
    data = client.get("/api/v1/search", {"q": "mobilté rurale"}).json()
    assert data["count"] == 1 and data["hits"][0]["title"] == "Alliance pour la mobilité rurale"
    assert data["suggestion"] == "mobilité rurale"
    assert {"value": "mobilite", "label": "Mobilité", "count": 1} in data["facets"]["themes"]
    assert data["estimated"] is False  # small result sets are counted exactly by both engines


def test_api_filters_by_facet_and_paginates(client, indexed):
    data = client.get("/api/v1/search", {"themes": "alimentation", "limit": 1}).json()
    assert data["count"] == 1 and data["hits"][0]["title"] == "Jardin partagé"


@pytest.mark.parametrize("params", [{"sort": "distance"}, {"limit": "0"}, {"limit": "abc"}, {"near": "north"},
                                    {"territory": "planet:1"}, {"kind": "unicorn"}, {"radius": "-3", "near": "1,2"}])
def test_api_rejects_bad_parameters_with_422(client, indexed, params):
    response = client.get("/api/v1/search", params)
    assert response.status_code == 422 and response.json()["detail"]


def test_results_page_shows_snippets_facets_and_kind(client, indexed):
    html = client.get("/recherche/", {"q": "covoiturage"}).content.decode()
    assert "<mark>Covoiturage</mark> &lt;em&gt;solidaire&lt;/em&gt;" in html
    assert 'data-facet="themes"' in html and "Initiative" in html


def test_results_page_bad_parameter_is_a_400_not_a_500(client, indexed):
    assert client.get("/recherche/", {"sort": "nowhere"}).status_code == 400


def test_member_saves_a_search_and_gets_a_digest(client, indexed, member):
    client.force_login(member)
    response = client.post("/recherche/enregistrer/", {"name": "Mobilité", "query_string": "q=mobilité",
                                                       "frequency": "daily"})
    assert response.status_code == 302
    assert SavedSearch.objects.filter(user=member).count() == 1
    assert search_alerts_send(frequency="daily") == 1
    assert "Alliance pour la mobilité rurale" in mail.outbox[0].body
    assert search_alerts_send(frequency="daily") == 0  # nothing new since


def test_saving_an_invalid_search_is_refused(member):
    from catalyse.search.queries import InvalidSearch

    with pytest.raises(InvalidSearch):
        saved_search_create(user=member, name="x", query_string="sort=nowhere")


def test_similar_initiatives_give_a_reason(indexed):
    from django.contrib.auth.models import AnonymousUser

    from catalyse.initiatives.models import Initiative
    from catalyse.search.queries import similar_items

    a = initiative("Covoiturage des villages", "Mobilité partagée en milieu rural", themes=["mobilite"])
    backend = indexed
    from catalyse.search.outbox import index_rebuild

    index_rebuild(backend)
    source = Initiative.objects.get(title="Alliance pour la mobilité rurale")
    hits = similar_items(AnonymousUser(), "initiative", source.pk, backend=backend)
    assert hits[0].title == a.title
    assert "thèmes communs : Mobilité" in hits[0].reason


def test_similar_api_hides_private_sources_and_gives_reasons(client, reindex):
    from catalyse.initiatives.models import Visibility

    a = initiative("Covoiturage des villages", "Mobilité partagée", themes=["mobilite"])
    initiative("Navette rurale", "Mobilité partagée entre villages", themes=["mobilite"])
    hidden = initiative("Projet réservé", "Mobilité partagée", visibility=Visibility.MEMBERS)
    reindex()
    data = client.get(f"/api/v1/search/similar/initiative/{a.pk}").json()
    assert [d["title"] for d in data] == ["Navette rurale"] and "Mobilité" in data[0]["reason"]
    assert client.get(f"/api/v1/search/similar/initiative/{hidden.pk}").status_code == 404
    assert client.get("/api/v1/search/similar/unicorn/1").status_code == 422


def test_similar_items_still_answer_after_a_document_was_updated(backend):
    """An update deletes the old document; until a merge, the engine's term frequencies still count it."""
    from django.contrib.auth.models import AnonymousUser

    from catalyse.search.queries import similar_items
    from catalyse.search.registry import indexed_kinds

    a = initiative("Covoiturage des villages", "Mobilité partagée des villages", themes=["mobilite"])
    b = initiative("Navette des villages", "Mobilité partagée des villages", themes=["mobilite"])
    kind = indexed_kinds()["initiative"]
    backend.index_documents(list(kind.documents()))  # one segment holding both
    backend.index_documents(list(kind.documents([b.pk])))
    assert [h.title for h in similar_items(AnonymousUser(), "initiative", a.pk, backend=backend)] == [b.title]


def test_results_page_counts_in_french_and_names_organisations_as_the_menu_does(client, reindex):
    from .conftest import organisation

    organisation("Coopérative des mobilités", "Covoiturage")
    reindex()
    html = client.get("/recherche/", {"q": "covoiturage"}).content.decode()
    assert "1 résultat<" in html
    assert ">Organisation <span" in html and "Acteur" not in html
    assert "0 résultat<" in client.get("/recherche/", {"q": "zzzxqj"}).content.decode()
