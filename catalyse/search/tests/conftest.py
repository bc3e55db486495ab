import pytest
from django.db import connection

from catalyse.actors.tests.factories import OrganisationFactory, commune
from catalyse.initiatives.models import Sdg, Theme
from catalyse.initiatives.tests.factories import InitiativeFactory
from catalyse.search.backends import get_backend
from catalyse.search.backends.tantivy_backend import _indexes
from catalyse.search.outbox import index_rebuild


@pytest.fixture(params=["tantivy", "postgres"])
def backend(request, settings, tmp_path, db):
    """Every contract test runs against each backend available on the current database."""
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the postgres backend needs PostgreSQL")
    settings.CATALYSE_SEARCH_INDEX_DIR = tmp_path / "index"
    settings.CATALYSE_SEARCH_BACKEND = request.param
    _indexes.clear()
    yield get_backend(request.param)
    _indexes.clear()


@pytest.fixture
def reindex(backend):
    def run():
        index_rebuild(backend)
        return backend

    return run


def initiative(title, summary="", recit="", themes=(), sdgs=(), places=(), **kw):
    i = InitiativeFactory(title=title, summary=summary or title, recit=recit, **kw)
    i.themes.set(Theme.objects.filter(code__in=themes))
    i.sdgs.set(Sdg.objects.filter(number__in=sdgs))
    i.territories.set([commune(c) for c in places])
    return i


def organisation(name, description="", **kw):
    return OrganisationFactory(name=name, description=description, **kw)
