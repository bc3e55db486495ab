"""A data version bumped by saves and deletes, so that caches of derived data (counts, rendered pages) can put
it in their keys at almost no cost — no aggregate over the tables.

Where it lives must be shared by every process serving the site: in the cache when the cache is shared
(Redis, as production with several servers runs), otherwise in a file of the data directory, whose
modification time is the version (one stat() per read) — with the per-process memory cache, a counter kept
in the cache would leave the other gunicorn workers serving stale pages until their entries expire.

Writes that bypass signals (bulk_create, queryset.update, the generators) do not bump it: what they change shows
when the entries expire.

`cached_for_audience` is the one way to cache a copy of derived data (counts, a map grid, a rendered page) for
the people who see it alike — its audience — under a data version.
"""

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from catalyse.core import permissions


def _per_process_cache() -> bool:
    return isinstance(caches["default"], LocMemCache)


class DataVersion:
    def __init__(self, key: str):
        self.key = key

    @property
    def path(self) -> Path:
        return Path(settings.DATA_DIR) / "versions" / self.key.replace(":", "-")

    def get(self) -> int:
        if _per_process_cache():
            try:
                return self.path.stat().st_mtime_ns
            except FileNotFoundError:
                self._increment()
                return self.path.stat().st_mtime_ns
        # Starting from the clock (not 1) means a counter lost to eviction never comes back to a number that
        # keys of older entries still carry.
        return cache.get_or_set(self.key, time.time_ns, None)

    def _increment(self) -> None:
        if _per_process_cache():
            path = self.path
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                previous = path.stat().st_mtime_ns
            except FileNotFoundError:
                path.touch()
                previous = 0
            stamp = max(time.time_ns(), previous + 1)  # strictly increasing, even within the clock's tick
            os.utime(path, ns=(stamp, stamp))
            return
        try:
            cache.incr(self.key)
        except ValueError:  # not set yet, or evicted
            cache.set(self.key, time.time_ns(), None)

    def bump(self, **_signal_kwargs) -> None:
        """Now, and again when the transaction commits: a page rendered in between, from data not yet
        committed, must not stay cached under the new number."""
        self._increment()
        connection = transaction.get_connection()
        if connection.in_atomic_block and not any(f == self._increment for _, f, _ in connection.run_on_commit):
            transaction.on_commit(self._increment)  # once per transaction, however many rows it writes

    def _bump_after_m2m(self, action: str, **kwargs) -> None:
        if action.startswith("post_"):
            self.bump()

    def connect(self, *models, m2m=()) -> None:
        """Bump on every save and delete of `models` and every change of the many-to-many tables `m2m`."""
        for model in models:
            uid = f"{self.key}:{model._meta.label}"
            post_save.connect(self.bump, sender=model, dispatch_uid=f"{uid}:save", weak=False)
            post_delete.connect(self.bump, sender=model, dispatch_uid=f"{uid}:delete", weak=False)
        for through in m2m:
            m2m_changed.connect(self._bump_after_m2m, sender=through,
                                dispatch_uid=f"{self.key}:{through._meta.label}:m2m", weak=False)


# Everyone signed out sees the same published data: they share one copy.
PUBLIC = "public"
_MISSING = object()
T = TypeVar("T")


def visitors_audience(user) -> str | None:
    """Visitors share PUBLIC; signed-in people are not served a cached copy (they may see unpublished
    objects of theirs, which no key here describes)."""
    return None if user.is_authenticated else PUBLIC


def person_audience(user) -> str:
    """Visitors share PUBLIC; each member has a copy of their own (what they may see differs)."""
    return f"u{user.pk}" if permissions.is_member(user) else PUBLIC


def audience_key(version: DataVersion, namespace: str, audience: str, key: str) -> str:
    """The cache key of `audience`'s copy of `key` under the current data version (hashed: keys hold
    free text such as search words)."""
    return f"{namespace}:" + hashlib.sha256(f"{audience}|{version.get()}|{key}".encode()).hexdigest()


def cached_for_audience(version: DataVersion, namespace: str, key: str, compute: Callable[[], T], *,
                        audience: str | None, seconds: int) -> T:
    """compute(), cached for `seconds` and shared by everyone of `audience` until `version` moves; None:
    computed every time."""
    if audience is None:
        return compute()
    full_key = audience_key(version, namespace, audience, key)
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, seconds)
    return value
