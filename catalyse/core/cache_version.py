"""A data version kept in the cache and bumped by saves and deletes, so that caches of derived data (counts,
rendered pages) can put it in their keys at the cost of one cache read — no aggregate over the tables.

Writes that bypass signals (bulk_create, queryset.update, the generators) do not bump it: what they change shows
when the entries expire. With the per-process memory cache (no REDIS_URL) each process has its own counter, so
another process sees a change when its entries expire too; production runs several processes on Redis
(docs/operations.md).
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


class DataVersion:
    def __init__(self, key: str):
        self.key = key

    def get(self) -> int:
        # Starting from the clock (not 1) means a counter lost to eviction never comes back to a number that
        # keys of older entries still carry.
        return cache.get_or_set(self.key, time.time_ns, None)

    def _increment(self) -> None:
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
