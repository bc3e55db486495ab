"""One rate limiter for every public write endpoint (login, API sign-in, suggestions, votes…).

Fixed windows counted in the Django cache (locmem on one server, Redis when several share the load):

    result = rate_limit(f"suggest:ip:{ip}", limit=5, period=3600)
    if not result.allowed: ...  # tell the person to retry in result.retry_after seconds

`peek=True` checks without counting (used by login, which counts failures only). A view with no form to
show the refusal in calls `result.enforce()`: the RateLimited it raises becomes the French 429 page (or a JSON
429 under /api/) with a Retry-After header (core.middleware.RequestContextMiddleware).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window resets

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    def enforce(self) -> None:
        if not self.allowed:
            raise RateLimited(self.retry_after)


def _window(key: str, period: int) -> tuple[str, int]:
    now = time.time()
    window = int(now // period)
    return f"ratelimit:{key}:{period}:{window}", max(1, math.ceil((window + 1) * period - now))


def rate_limit(key: str, limit: int, period: int, *, peek: bool = False) -> RateLimitResult:
    """Count one hit on `key` (unless `peek`) and say whether it is within `limit` hits per `period` seconds."""
    cache_key, retry_after = _window(key, period)
    if peek:
        count = cache.get(cache_key, 0)
        return RateLimitResult(count < limit, count, retry_after)
    if cache.add(cache_key, 1, timeout=period + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=period + 1)
            count = 1
    return RateLimitResult(count <= limit, count, retry_after)


def rate_limit_reset(key: str, period: int) -> None:
    cache.delete(_window(key, period)[0])
