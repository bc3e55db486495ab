"""Cache of the map's grid aggregates (counts and mean points per cell, never names) for visitors.

At a million organisations the grid GROUP BY reads every row in view; visitors all ask for the same few
views (France at zoom 5–6, a région), so the aggregate is cached for a minute under a version number that
every save or delete of an organisation bumps, every import batch, and the search index when it has applied
changes to organisations; the names and links of points are always read fresh, through the permission module.
"""

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "actors:map:version"
SECONDS = 60


def version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def invalidate(**_kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(VERSION_KEY, 1, None)


def connect() -> None:
    from catalyse.search.outbox import index_changed

    from .models import Organisation
    from .signals import organisations_bulk_changed

    post_save.connect(invalidate, sender=Organisation, dispatch_uid="actors-map-cache-save")
    post_delete.connect(invalidate, sender=Organisation, dispatch_uid="actors-map-cache-delete")
    m2m_changed.connect(invalidate, sender=Organisation.trades.through, dispatch_uid="actors-map-cache-trades")
    m2m_changed.connect(invalidate, sender=Organisation.territories.through, dispatch_uid="actors-map-cache-terr")
    organisations_bulk_changed.connect(invalidate, dispatch_uid="actors-map-cache-bulk")
    index_changed.connect(_index_changed, dispatch_uid="actors-map-cache-index")


def _index_changed(kinds, **_kwargs) -> None:
    # The grid may come from the search index, which follows the database a moment later: a grid cached in
    # between would keep the old counts for a minute.
    if "organisation" in kinds:
        invalidate()
