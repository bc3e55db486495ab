"""Pages that list objects with facets (the directory, the initiatives list, their API lists, the map) read
the search index when the engine can browse: filters, count, facets and page order come from the engine's fast
fields; only the page's rows are read from the database, by id and again through the permission module, so an
index lagging behind a change never shows what the person may not see."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from django.conf import settings
from django.db.models import QuerySet

from catalyse.core import permissions

from .backends import get_backend
from .backends.base import SearchQuery


def browse_from_index() -> bool:
    """Whether listing pages read the search index (setting CATALYSE_BROWSE_FROM_INDEX, on by default; only
    engines that can browse qualify — not the PostgreSQL search backend — and not while an emptied index
    waits for its rebuild: the database answers meanwhile)."""
    if not settings.CATALYSE_BROWSE_FROM_INDEX:
        return False
    backend = get_backend()
    return backend.supports_browse and not backend.needs_rebuild


class IndexedRows(Sequence):
    """What a paginator pages through: its length is the engine's count, and a slice asks the engine for those
    ids, then reads their rows from `rows` (a queryset with its select/prefetch) through the permission module,
    in the engine's order."""

    def __init__(self, user, query: SearchQuery, rows: QuerySet, total: int | None = None):
        self.user, self.query, self.rows, self._total = user, query, rows, total

    @property
    def total(self) -> int:
        # Counted only when asked: pages that already know it (from their facets) pass it, or set the
        # paginator's count, and spare the engine a second pass over the matches.
        if self._total is None:
            self._total = get_backend().browse_page(dataclasses.replace(self.query, limit=0)).total
        return self._total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        start, stop, _ = index.indices(self.total)
        query = dataclasses.replace(self.query, offset=start, limit=max(0, stop - start))
        ids = get_backend().browse_page(query).ids
        found = permissions.visible_queryset(self.user, self.rows.filter(pk__in=ids)).in_bulk()
        return [found[i] for i in ids if i in found]
