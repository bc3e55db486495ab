import pytest

from catalyse.actors.tests.factories import OrganisationFactory, commune
from catalyse.search.backends.tantivy_backend import _indexes
from catalyse.search.outbox import outbox_process

pytestmark = pytest.mark.django_db


def test_a_grid_cached_before_the_index_caught_up_is_refreshed_when_it_does(client, settings, tmp_path, monkeypatch):
    """The index follows the database within seconds: a visitor asking in between must not pin the old
    counts in the one-minute cache."""
    monkeypatch.setattr("catalyse.actors.queries.MAP_POINTS_LIMIT", 0)  # clusters, not points, even for two
    settings.CATALYSE_BROWSE_FROM_INDEX = True
    settings.CATALYSE_SEARCH_BACKEND, settings.CATALYSE_SEARCH_INDEX_DIR = "tantivy", tmp_path / "index"
    _indexes.clear()
    params = {"bbox": "-5.5,41,10,51.5", "zoom": 5}
    OrganisationFactory(head_office=commune("62528"))
    outbox_process()
    assert client.get("/api/v1/map/organisations", params).json()["count"] == 1

    OrganisationFactory(head_office=commune("62528"))  # saved; the worker has not run yet
    assert client.get("/api/v1/map/organisations", params).json()["count"] == 1  # the index's view, cached
    outbox_process()
    assert client.get("/api/v1/map/organisations", params).json()["count"] == 2
    _indexes.clear()
