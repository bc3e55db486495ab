import pytest
from django.core.cache import cache

from catalyse.search.tests.conftest import backend, reindex  # noqa: F401  (fixtures: each search engine)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The registration and reminder limits live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()
