"""PostgreSQL engine, result sets above the exact limit (lowered here to 20 matches, with a sample of half
the documents): totals and facet counts are estimated and flagged, the first page still puts title matches
first and never shows hidden documents. Under the limit everything stays exact."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict

from catalyse.actors.models import Organisation, PublicationStatus
from catalyse.search.backends import get_backend
from catalyse.search.outbox import index_rebuild
from catalyse.search.queries import SearchParams, search_run

from .conftest import organisation

ORCHARDS = 80


@pytest.fixture
def orchards(settings, db):
    if connection.vendor != "postgresql":
        pytest.skip("the postgres backend needs PostgreSQL")
    settings.CATALYSE_SEARCH_BACKEND = "postgres"
    settings.CATALYSE_SEARCH_EXACT_LIMIT = 20
    settings.CATALYSE_SEARCH_SAMPLE_FRACTION = 0.5
    for n in range(ORCHARDS):
        organisation(f"Association {n}", description="Un verger partagé",
                     profile="entreprise" if n % 2 else "association")
    for n in range(3):
        organisation(f"Verger du coteau {n}")
    organisation("Verger en attente", status=PublicationStatus.PENDING)
    organisation("Rucher des collines", description="Le rucher du plateau")
    backend = get_backend("postgres")
    index_rebuild(backend)
    return backend


def search(backend, q, **params):
    data = QueryDict(mutable=True)
    data.update({"q": q, **params})
    return search_run(AnonymousUser(), SearchParams.from_query_dict(data), backend=backend)


def test_large_result_set_counts_are_estimated_from_the_sample_and_flagged(orchards):
    res = search(orchards, "verger")
    exact = ORCHARDS + 3
    assert res.estimated
    # Half the documents are in the sample: the binomial standard deviation is about 5 documents here.
    assert abs(res.total - exact) <= 0.35 * exact
    # Facet counts are scaled like the total (each is rounded to two significant digits).
    assert dict(res.facets["kind"]) == {"organisation": res.total}
    profiles = dict(res.facets["profile"])
    assert abs(sum(profiles.values()) - res.total) <= 2
    companies = Organisation.objects.filter(name__startswith="Association", profile="entreprise").count()
    assert abs(profiles["entreprise"] - companies) <= 0.35 * exact


def test_large_result_set_puts_title_matches_first_and_hides_what_the_person_cannot_see(orchards):
    hits = search(orchards, "verger", limit="3").hits
    assert sorted(h.title for h in hits) == [f"Verger du coteau {n}" for n in range(3)]
    next_page = search(orchards, "verger", limit="3", offset="3").hits
    assert next_page and all(h.title.startswith("Association") for h in next_page)


def test_small_result_set_stays_exact(orchards):
    res = search(orchards, "rucher")
    assert not res.estimated
    assert res.total == 1 and [h.title for h in res.hits] == ["Rucher des collines"]


def test_api_and_page_say_the_counts_are_estimates(client, orchards):
    data = client.get("/api/v1/search", {"q": "verger"}).json()
    assert data["estimated"] is True
    html = client.get("/recherche/", {"q": "verger"}).content.decode()
    assert "environ" in html and "≈" in html
    assert client.get("/api/v1/search", {"q": "rucher"}).json()["estimated"] is False
