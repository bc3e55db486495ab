"""Cache of the map's grid aggregates (counts and mean points per cell, never names) for visitors.

At a million organisations the grid GROUP BY reads every row in view; visitors all ask for the same few
views (France at zoom 5–6, a région), so the aggregate is cached for a minute under a data version
(catalyse.core.cache_version) that every save or delete of an organisation bumps, every import batch, and the
search index when it has applied changes to organisations; the names and links of points are always read
fresh, through the permission module.
"""

from catalyse.core.cache_version import DataVersion

SECONDS = 60
VERSION = DataVersion("actors:map:version")
version = VERSION.get
invalidate = VERSION.bump


def connect() -> None:
    from catalyse.search.outbox import index_changed

    from .models import Organisation
    from .signals import organisations_bulk_changed

    VERSION.connect(Organisation, m2m=[Organisation.trades.through, Organisation.territories.through])
    organisations_bulk_changed.connect(invalidate, dispatch_uid="actors-map-cache-bulk")
    index_changed.connect(_index_changed, dispatch_uid="actors-map-cache-index")


def _index_changed(kinds, **_kwargs) -> None:
    # The grid may come from the search index, which follows the database a moment later: a grid cached in
    # between would keep the old counts for a minute.
    if "organisation" in kinds:
        invalidate()
