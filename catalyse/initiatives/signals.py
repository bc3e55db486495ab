"""What follows every write of the bank, whatever channel made it (services, admin, organisation edits,
merges and imports, cascading deletes): the data version the caches are keyed by, and the partner profiles
copied for the list's profile facet. Signals, not service calls, because organisations are written by another
app (catalyse.actors) and partnerships go away with their organisation; bulk writes that send no signal (the
generator) keep the copy themselves."""

from catalyse.actors.models import Organisation
from catalyse.actors.signals import organisations_bulk_changed

from .models import Initiative, Partnership, PracticeSheet, StageChange, Theme
from .queries import DATA_VERSION
from .services import initiative_profiles_refresh


def _partnership_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        initiative_profiles_refresh(initiative_ids=[instance.initiative_id])


def _organisations_changed(organisation_ids) -> None:
    """Their profiles may have changed, or a merge just moved partnerships to one of them."""
    ids = set(Partnership.objects.filter(organisation_id__in=organisation_ids).values_list("initiative_id", flat=True))
    if ids:
        initiative_profiles_refresh(initiative_ids=ids)


def _organisation_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _organisations_changed([instance.pk])


def _organisations_imported(sender, ids, created=False, **kwargs) -> None:
    DATA_VERSION.bump()
    if not created:  # new organisations are partners of nothing yet
        _organisations_changed(ids)


def _index_changed(sender, kinds, **kwargs) -> None:
    # The list may read the search index, which follows the database a moment later: counts cached in
    # between must not stay.
    if "initiative" in kinds:
        DATA_VERSION.bump()


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from catalyse.search.outbox import index_changed

    # Partners' names and profiles show on pages and in the profile facet.
    DATA_VERSION.connect(Initiative, Partnership, StageChange, PracticeSheet, Theme, Organisation, m2m=[
        Initiative.territories.through, Initiative.themes.through, Initiative.sdgs.through])
    post_save.connect(_partnership_changed, sender=Partnership, dispatch_uid="initiatives-profiles-partnership-save")
    post_delete.connect(_partnership_changed, sender=Partnership, dispatch_uid="initiatives-profiles-partnership-del")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="initiatives-profiles-organisation")
    organisations_bulk_changed.connect(_organisations_imported, dispatch_uid="initiatives-organisations-imported")
    index_changed.connect(_index_changed, dispatch_uid="initiatives-index-changed")
