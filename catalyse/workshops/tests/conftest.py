from types import SimpleNamespace

import pytest
from django.core.cache import cache

from catalyse.core import ratelimit


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits (joins per address and board: boards of successive tests may share a pk) and the cards' states
    live in the cache: each test starts with none."""
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The rate limits' clock, stopped 100 s before the end of a 10-minute window: counts do not reset during
    the test, and a refusal says to come back in 2 minutes."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_000_100.0))
