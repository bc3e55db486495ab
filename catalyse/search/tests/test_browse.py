"""The browse methods the directory and the initiatives list read (Tantivy): order with ties, facets, grid."""

import datetime as dt

import pytest

from catalyse.search.backends.base import SearchQuery

from .conftest import organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend(settings, tmp_path, db):
    """Only Tantivy serves browse pages (the PostgreSQL search backend leaves listings to SQL)."""
    from catalyse.search.backends import get_backend
    from catalyse.search.backends.tantivy_backend import _indexes

    settings.CATALYSE_SEARCH_INDEX_DIR, settings.CATALYSE_SEARCH_BACKEND = tmp_path / "index", "tantivy"
    _indexes.clear()
    yield get_backend("tantivy")
    _indexes.clear()


@pytest.fixture
def engine(backend):
    assert backend.supports_browse
    return backend


def test_pages_in_name_order_break_ties_by_id_and_cross_pages_exactly(engine, reindex):
    names = ["Écluse", "abri", "Abri", "Berge", "abri", "Cale", "Digue"]
    ids = [organisation(n).pk for n in names]
    reindex()
    expected = [ids[i] for i in (1, 2, 4, 3, 5, 6, 0)]  # folded: abri×3 by id, berge, cale, digue, ecluse
    pages = [engine.browse_page(SearchQuery(sort="name", offset=o, limit=2)).ids for o in range(0, 8, 2)]
    assert sum(pages, []) == expected
    assert engine.browse_page(SearchQuery(sort="name", limit=2)).total == 7


def test_joined_order_puts_unknown_dates_last_then_by_name(engine, reindex):
    late = organisation("Zed", joined_on=dt.date(2024, 5, 1)).pk
    early = organisation("Yak", joined_on=dt.date(2020, 1, 1)).pk
    unknown_b, unknown_a = organisation("Bis").pk, organisation("Ana").pk
    reindex()
    assert engine.browse_page(SearchQuery(sort="-joined")).ids == [late, early, unknown_a, unknown_b]


def test_facets_leave_their_own_filter_out_and_identifiers_match_exactly(engine, reindex):
    organisation("Un", profile="public", siren="123456782")
    organisation("Deux", profile="entreprise")
    organisation("Trois", profile="entreprise", scope="national")
    reindex()
    query = SearchQuery(filters={"kind": ["organisation"], "profile": ["entreprise"]})
    total, facets = engine.browse_facets(query, ["profile", "scope"])
    assert total == 2
    assert facets["profile"] == {"public": 1, "entreprise": 2}
    assert facets["scope"] == {"local": 1, "national": 1}
    by_siren = engine.browse_page(SearchQuery(sort="name", identifier="123456782"))
    assert by_siren.total == 1


def test_grid_counts_cells_with_their_mean_point_and_smallest_id(engine, reindex):
    a = organisation("A", latitude=45.1, longitude=2.1).pk
    organisation("B", latitude=45.3, longitude=2.3)
    c = organisation("C", latitude=48.9, longitude=2.4).pk
    reindex()
    cells = engine.browse_grid(SearchQuery(), (44.0, 0.0, 50.0, 4.0), cell=1.40625)  # zoom 6
    by_count = sorted(cells, key=lambda x: -x["n"])
    assert [(x["n"], x["first"]) for x in by_count] == [(2, a), (1, c)]
    assert by_count[0]["lat"] == pytest.approx(45.2) and by_count[0]["lon"] == pytest.approx(2.2)
    assert (by_count[0]["cy"], by_count[0]["cx"]) == (int((45.1 + 90) // 1.40625), int((2.1 + 180) // 1.40625))
