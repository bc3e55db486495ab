"""The network dashboard's counts follow the writes of the initiatives app (visibility, publication, themes,
territories, partners, partners' profiles), which cannot call into this app: signals, as initiatives/signals.py
does for its own copies. The evaluation's own writes refresh the counts from services.py."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from catalyse.actors.models import Organisation
from catalyse.actors.signals import organisations_bulk_changed
from catalyse.initiatives.models import Initiative, Partnership

from .models import InitiativeResults
from .results import initiative_results_refresh, initiative_results_remove


def _counted(initiative_ids) -> list[int]:
    """Only initiatives that have (or had) published indicators hold a share: the others cost nothing."""
    return list(InitiativeResults.objects.filter(initiative_id__in=initiative_ids).values_list("pk", flat=True))


def _initiative_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw and _counted([instance.pk]):
        initiative_results_refresh(initiative_ids=[instance.pk])


def _initiative_deleted(sender, instance, **kwargs) -> None:
    initiative_results_remove(initiative_id=instance.pk)


def _initiative_links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    ids = list(pk_set or []) if reverse else [instance.pk]
    if reverse and action == "post_clear":
        return  # a theme or territory cleared of all its initiatives: nothing in this app does that
    ids = _counted(ids)
    if ids:
        initiative_results_refresh(initiative_ids=ids)


def _partnership_changed(sender, instance, raw=False, **kwargs) -> None:
    # Connected after initiatives' own receiver, which has already recomputed the partners' profiles.
    if not raw and _counted([instance.initiative_id]):
        initiative_results_refresh(initiative_ids=[instance.initiative_id])


def _organisations_changed(organisation_ids) -> None:
    ids = _counted(Partnership.objects.filter(organisation_id__in=organisation_ids).values("initiative_id"))
    if ids:
        initiative_results_refresh(initiative_ids=ids)


def _organisation_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _organisations_changed([instance.pk])


def _organisations_imported(sender, ids, created=False, **kwargs) -> None:
    if not created:
        _organisations_changed(ids)


def connect() -> None:
    post_save.connect(_initiative_saved, sender=Initiative, dispatch_uid="evaluation-results-initiative")
    pre_delete.connect(_initiative_deleted, sender=Initiative, dispatch_uid="evaluation-results-initiative-del")
    for through in (Initiative.themes.through, Initiative.territories.through):
        m2m_changed.connect(_initiative_links_changed, sender=through,
                            dispatch_uid=f"evaluation-results-{through._meta.model_name}")
    post_save.connect(_partnership_changed, sender=Partnership, dispatch_uid="evaluation-results-partnership")
    post_delete.connect(_partnership_changed, sender=Partnership, dispatch_uid="evaluation-results-partnership-del")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="evaluation-results-organisation")
    organisations_bulk_changed.connect(_organisations_imported, dispatch_uid="evaluation-results-organisations")
