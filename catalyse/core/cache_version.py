"""A data version bumped by saves and deletes, so that caches of derived data (counts, rendered pages) can put
it in their keys at almost no cost — no aggregate over the tables.

Where it lives must be shared by every process serving the site: in the cache when the cache is shared
(Redis, as production with several servers runs), otherwise in a file of the data directory, whose
modification time is the version (one stat() per read) — with the per-process memory cache, a counter kept
in the cache would leave the other gunicorn workers serving stale pages until their entries expire.

Writes that bypass signals (bulk_create, queryset.update, the generators) do not bump it: what they change shows
when the entries expire.
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


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
