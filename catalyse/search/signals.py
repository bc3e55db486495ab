"""Outbox hooks on the indexed models.

Signals, not service calls, on purpose: an object reaches the index whatever channel changed it — services,
imports (bulk paths call `outbox_enqueue` themselves), the admin, merges, cascading deletes — and forgetting
one channel would leave the index silently stale. The handlers only write an outbox row; the indexing
itself happens in the worker.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import OutboxOp
from .outbox import outbox_enqueue, outbox_enqueue_many

MODELS = {
    "actors.Organisation": "organisation",
    "initiatives.Initiative": "initiative",
    "initiatives.PracticeSheet": "practice_sheet",
    "initiatives.Resource": "resource",
}


def _initiative_changed(initiative_id: int) -> None:
    """An initiative's themes, stage, territories and audience are copied into its sheets and resources."""
    outbox_enqueue(kind="initiative", object_id=initiative_id)
    for model, kind in (("initiatives.PracticeSheet", "practice_sheet"), ("initiatives.Resource", "resource")):
        for pk in apps.get_model(model)._default_manager.filter(initiative_id=initiative_id).values_list(
            "pk", flat=True
        ):
            outbox_enqueue(kind=kind, object_id=pk)


def on_save(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata
        return
    kind = MODELS[sender._meta.label]
    if kind == "initiative":
        _initiative_changed(instance.pk)
    else:
        outbox_enqueue(kind=kind, object_id=instance.pk)
    if kind == "organisation":
        _partners_changed([instance.pk])


def _partners_changed(organisation_ids: list[int]) -> None:
    """Initiatives carry their partners' profiles (the list's profile facet): re-index those of these
    organisations, which may have changed profile."""
    partnership = apps.get_model("initiatives.Partnership") if apps.is_installed("catalyse.initiatives") else None
    if partnership is not None:
        ids = partnership._default_manager.filter(organisation_id__in=organisation_ids).values_list(
            "initiative_id", flat=True).distinct()
        outbox_enqueue_many(kind="initiative", object_ids=list(ids))


def on_delete(sender, instance, **kwargs):
    outbox_enqueue(kind=MODELS[sender._meta.label], object_id=instance.pk, op=OutboxOp.DELETE)


def on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        on_save(type(instance), instance)
    elif model._meta.label in MODELS:  # theme.initiatives.add(...): the indexed objects are in pk_set
        for pk in pk_set or ():
            on_save(model, model(pk=pk))


def on_organisations_bulk(sender, ids, created=False, **kwargs):
    outbox_enqueue_many(kind="organisation", object_ids=ids)
    if not created:
        _partners_changed(ids)


def on_partnership(sender, instance, **kwargs):
    # Partners decide who sees a non-public initiative: its audience changes.
    _initiative_changed(instance.initiative_id)


def connect() -> None:
    for label in MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(on_save, sender=model, dispatch_uid=f"search-save-{label}")
        post_delete.connect(on_delete, sender=model, dispatch_uid=f"search-delete-{label}")
        for f in model._meta.many_to_many:
            m2m_changed.connect(on_m2m, sender=f.remote_field.through, dispatch_uid=f"search-m2m-{label}-{f.name}")
    if apps.is_installed("catalyse.actors"):
        from catalyse.actors.signals import organisations_bulk_changed

        organisations_bulk_changed.connect(on_organisations_bulk, dispatch_uid="search-organisations-bulk")
    try:
        partnership = apps.get_model("initiatives.Partnership")
    except LookupError:
        return
    post_save.connect(on_partnership, sender=partnership, dispatch_uid="search-partnership-save")
    post_delete.connect(on_partnership, sender=partnership, dispatch_uid="search-partnership-delete")


connect()
