"""Optimistic concurrency: every editable model has a `version` field; a save states the version it
started from, and a save from an older version is refused instead of silently overwriting."""

from django.db.models import F, Model
from django.db.models.signals import post_save


class ConflictError(Exception):
    def __init__(self, current: Model):
        super().__init__("Cet élément a été modifié entre-temps par quelqu'un d'autre.")
        self.current = current


def save_with_version(obj: Model, *, expected_version: int | None, update_fields: list[str] | None = None) -> None:
    """Save `obj` if the stored version is still `expected_version` (None skips the check), bumping it."""
    model = type(obj)
    if obj.pk is None:
        obj.version = 1
        obj.save()
        return
    names = update_fields or [f.attname for f in model._meta.concrete_fields
                              if not f.primary_key and f.attname != "version"]
    # pre_save() is what save() would store: it refreshes auto_now dates and writes a newly assigned file
    # (a logo, a cover) to storage; a plain getattr() would put an unsaved file's name in the row.
    fields = {f.attname: f.pre_save(obj, add=False) for f in model._meta.concrete_fields if f.attname in names}
    qs = model._default_manager.filter(pk=obj.pk)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    if qs.update(version=F("version") + 1, **fields) == 0:
        raise ConflictError(model._default_manager.get(pk=obj.pk))
    obj.version = model._default_manager.values_list("version", flat=True).get(pk=obj.pk)
    # update() sends no signal; what listens to saves (search outbox, cache versions, copies) must hear this one.
    post_save.send(sender=model, instance=obj, created=False, update_fields=None, raw=False, using=qs.db)
