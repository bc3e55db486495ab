"""The data version of the organisation aggregates cached for visitors: the directory's count and facets,
the map's grid (counts and mean points per cell, never names) and the network statistics.

At a million organisations these read every row in view; visitors all ask for the same few views (France at
zoom 5–6, a région, the first directory page), so they are cached for a minute under a data version
(catalyse.core.cache_version) that every save or delete of an organisation bumps, every import batch, and the
search index when it has applied changes to organisations; the names and links of rows and points are always
read fresh, through the permission module.
"""

from catalyse.core.cache_version import DataVersion

SECONDS = 60
DIRECTORY_VERSION = DataVersion("actors:directory:version")
invalidate = DIRECTORY_VERSION.bump


def connect() -> None:
    from catalyse.search.outbox import index_changed

    from .models import Organisation
    from .signals import organisations_bulk_changed

    DIRECTORY_VERSION.connect(Organisation, m2m=[Organisation.trades.through, Organisation.territories.through])
    organisations_bulk_changed.connect(invalidate, dispatch_uid="actors-browse-cache-bulk")
    index_changed.connect(_index_changed, dispatch_uid="actors-browse-cache-index")


def _index_changed(kinds, **_kwargs) -> None:
    # Counts may come from the search index, which follows the database a moment later: counts cached in
    # between would be kept for a minute.
    if "organisation" in kinds:
        invalidate()
