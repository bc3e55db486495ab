"""Outbox hooks on the models of the registered kinds (connected by `registry.register`).

Signals, not service calls, on purpose: an object reaches the index whatever channel changed it — services,
imports (bulk paths call `index_objects` themselves), the admin, merges, cascading deletes — and forgetting
one channel would leave the index silently stale. The handlers only write an outbox row; the indexing
itself happens in the worker.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import OutboxOp
from .outbox import outbox_enqueue, outbox_enqueue_many
from .registry import SearchKind, dependents_of, indexed_kinds, kinds_of_model


def index_objects(kind: str, ids: Iterable[int], *, dependents: bool = True) -> None:
    """Queue these objects of `kind` for (re-)indexing and, with `dependents`, the documents of other kinds
    that copy data from them, transitively (an organisation → the initiatives it partners → their sheets).
    Bulk writes that skip signals call this themselves."""
    kinds = indexed_kinds()
    pending = [(kind, ids)]
    seen: dict[str, set[int]] = {}  # guards against cycles between kinds
    while pending:
        name, object_ids = pending.pop()
        done = seen.setdefault(name, set())
        new = [i for i in dict.fromkeys(object_ids) if i not in done]
        if not new or name not in kinds:
            continue
        done.update(new)
        outbox_enqueue_many(kind=name, object_ids=new)
        if dependents:
            pending += [pair for hook in dependents_of(name) for pair in hook(new)]


def on_save(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata
        return
    for kind in kinds_of_model(sender):
        index_objects(kind.kind, [instance.pk])


def on_delete(sender, instance, **kwargs):
    for kind in kinds_of_model(sender):
        outbox_enqueue(kind=kind.kind, object_id=instance.pk, op=OutboxOp.DELETE)


def on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        on_save(type(instance), instance)
    else:  # theme.initiatives.add(...): the indexed objects are in pk_set
        for kind in kinds_of_model(model):
            index_objects(kind.kind, pk_set or ())


def _on_watched(kind: SearchKind, watch):
    def changed(sender, instance, raw=False, **kwargs):
        if not raw:
            index_objects(kind.kind, watch.ids(instance))

    return changed


def connect(kind: SearchKind) -> None:
    model = apps.get_model(kind.model_label)
    label = kind.model_label
    post_save.connect(on_save, sender=model, dispatch_uid=f"search-save-{label}")
    post_delete.connect(on_delete, sender=model, dispatch_uid=f"search-delete-{label}")
    for f in model._meta.many_to_many:
        m2m_changed.connect(on_m2m, sender=f.remote_field.through, dispatch_uid=f"search-m2m-{label}-{f.name}")
    for n, watch in enumerate(kind.watches):
        handler = _on_watched(kind, watch)  # referenced by the signal alone: not a weak reference
        watched = apps.get_model(watch.model_label)
        post_save.connect(handler, sender=watched, weak=False, dispatch_uid=f"search-watch-{kind.kind}-{n}-save")
        post_delete.connect(handler, sender=watched, weak=False, dispatch_uid=f"search-watch-{kind.kind}-{n}-delete")


def disconnect(kind: SearchKind) -> None:
    for n, watch in enumerate(kind.watches):
        watched = apps.get_model(watch.model_label)
        post_save.disconnect(sender=watched, dispatch_uid=f"search-watch-{kind.kind}-{n}-save")
        post_delete.disconnect(sender=watched, dispatch_uid=f"search-watch-{kind.kind}-{n}-delete")
    label = kind.model_label
    if any(k.model_label == label for k in indexed_kinds().values()):
        return  # another kind indexes the same model: its hooks stay
    model = apps.get_model(label)
    post_save.disconnect(sender=model, dispatch_uid=f"search-save-{label}")
    post_delete.disconnect(sender=model, dispatch_uid=f"search-delete-{label}")
    for f in model._meta.many_to_many:
        m2m_changed.disconnect(sender=f.remote_field.through, dispatch_uid=f"search-m2m-{label}-{f.name}")
