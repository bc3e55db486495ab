"""A new app makes its objects searchable by registering a kind from its `ready()`: nothing in `search` names
it. Here organisations are indexed a second time under a test-only kind, with a facet and a date of its own."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalyse.search.backends import get_backend
from catalyse.search.backends.base import SearchQuery
from catalyse.search.backends.postgres_backend import add_declared_columns
from catalyse.search.documents import SearchDocument, chunks
from catalyse.search.models import OutboxEntry
from catalyse.search.outbox import index_rebuild, outbox_process
from catalyse.search.queries import SearchParams, facet_labels, search_run
from catalyse.search.registry import DateField, Facet, SearchKind, layout, register, unregister

from .conftest import organisation

pytestmark = pytest.mark.django_db


def _venues(qs):
    for rows in chunks(qs, ("pk", "name", "description", "updated_at")):
        for pk, name, description, updated in rows:
            yield SearchDocument(
                kind="test_venue", object_id=pk, title=name, url=f"/lieux/{pk}/", body=description,
                terms={"capacity": ["large" if "grand" in description else "small"]},
                dates={"opened": dt.date(2000 + pk % 20, 1, 1)}, updated_at=updated,
            )


VENUE = SearchKind(
    "test_venue", "actors.Organisation", _venues, "Lieu", "📍",
    fields=(Facet("capacity", "Capacité", "capacite", lambda: {"small": "Petite jauge", "large": "Grande jauge"}),
            DateField("opened")),
)


@pytest.fixture
def venues(backend):
    """The engine, once the test kind is registered (as its app's ready() would)."""
    register(VENUE)
    add_declared_columns()  # what `migrate` does for a new app's facets on PostgreSQL
    try:
        yield get_backend(backend.name)
    finally:
        unregister(VENUE.kind)


def find(backend, query: str):
    return search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict(query)), backend=backend)


def test_a_registered_kind_is_found_filtered_and_faceted_by_its_own_fields(venues):
    organisation("Salle des fêtes", description="Une grande salle pour les associations")
    organisation("Salon de thé", description="Un petit salon")
    index_rebuild(venues)
    results = find(venues, "q=salle&kind=test_venue")
    assert [h.title for h in results.hits] == ["Salle des fêtes"] and results.hits[0].url.startswith("/lieux/")
    assert dict(find(venues, "kind=test_venue").facets["capacity"]) == {"large": 1, "small": 1}
    assert [h.title for h in find(venues, "capacite=small").hits] == ["Salon de thé"]
    assert facet_labels()["capacity"]["large"] == "Grande jauge" and facet_labels()["kind"]["test_venue"] == "Lieu"
    assert "capacity" in [f.name for f in layout().offered]


def test_a_registered_kind_follows_its_model_through_the_outbox(venues):
    venue = organisation("Salle des fêtes", description="Une petite salle")
    assert set(OutboxEntry.objects.values_list("kind", flat=True)) == {"organisation", "test_venue"}
    outbox_process(venues)
    venue.description = "Une grande salle"
    venue.save()
    outbox_process(venues)
    assert [h.title for h in find(venues, "capacite=large").hits] == ["Salle des fêtes"]


def test_the_search_page_offers_a_registered_kind_and_its_facet(venues, client, settings):
    settings.CATALYSE_SEARCH_BACKEND = venues.name
    organisation("Salle des fêtes", description="Une grande salle")
    index_rebuild(venues)
    html = client.get("/recherche/?q=salle&capacite=large").content.decode()
    assert "Capacité" in html and "Grande jauge" in html and "📍" in html


def test_a_listing_orders_a_registered_kind_by_its_own_date(venues):
    if not venues.supports_browse:
        pytest.skip("this engine does not serve listing pages")
    ids = [organisation(f"Lieu {n}").pk for n in range(4)]
    index_rebuild(venues)
    page = venues.browse_page(SearchQuery(filters={"kind": ["test_venue"]}, sort="-opened", limit=10))
    assert page.ids == sorted(ids, key=lambda pk: (-(pk % 20), pk))
