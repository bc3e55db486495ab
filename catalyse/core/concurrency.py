"""Optimistic concurrency: every editable model has a `version` field; a save states the version it
started from, and a save from an older version is refused instead of silently overwriting.

`versioned_update` is the one way a service saves an edit (organisation, initiative, practice sheet…): version
check, many-to-many relations, revision and audit entry, in one place. Edit forms carry the version they
started from in a `VersionField`; on a conflict, the page shows `form_on_stored_version(form, conflict)`."""

import copy
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.db import transaction
from django.db.models import F, Model
from django.db.models.signals import post_save
from django.dispatch import Signal

# Sent by versioned_update once an edit is saved, with `instance`, `actor` (None: the person of the current
# request) and `before` ({field: value before the edit}). The audit log (accounts) listens: core imports
# no app, and every channel that edits (pages, API, imports, restores) goes through versioned_update.
object_updated = Signal()


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


@transaction.atomic
def versioned_update(obj: Model, *, expected_version: int | None, fields: dict[str, Any],
                     relations: dict[str, Iterable | None] | None = None, actor=None,
                     prepare: Callable[[Model], None] | None = None, clean_exclude: Iterable[str] = (),
                     record: Callable[[Model], Any] | None = None) -> Model:
    """Save an edit of `obj`: set `fields`, let `prepare` refresh derived fields, validate, save if the stored
    version is still `expected_version` (ConflictError otherwise; None skips the check, for internal writes),
    set the many-to-many `relations` given (None leaves one as it is), call `record` (a revision), then
    announce the change (`object_updated`: the audit entry)."""
    before = {name: getattr(obj, name, None) for name in fields}
    for name, value in fields.items():
        setattr(obj, name, value)
    if prepare is not None:
        prepare(obj)
    obj.full_clean(exclude=list(clean_exclude))
    save_with_version(obj, expected_version=expected_version)
    for name, values in (relations or {}).items():
        if values is not None:
            getattr(obj, name).set(values)
    if record is not None:
        record(obj)
    object_updated.send(sender=type(obj), instance=obj, actor=actor, before=before)
    return obj


# No stored object has version 0 (they start at 1).
UNKNOWN_VERSION = 0


class VersionField(forms.IntegerField):
    """The hidden version an edit form started from. A form posted without it, or with something that is not
    a version (an old page, a hand-made request), cannot prove it saw the stored text: it cleans to
    UNKNOWN_VERSION, so the save answers with the conflict page instead of silently overwriting."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> int:
        try:
            version = super().to_python(value)
        except forms.ValidationError:
            return UNKNOWN_VERSION
        # Beyond the column's range the database would fail rather than find no row.
        return version if version is not None and 1 <= version <= 2**31 - 1 else UNKNOWN_VERSION


def form_on_stored_version(form: forms.BaseForm, conflict: ConflictError, *, error: str = "",
                           **form_kwargs) -> forms.BaseForm:
    """The edit form to show again (409) after `conflict`: what this person typed, now based on the version
    stored in between, so that saving again is a deliberate choice and nothing typed is lost. `form_kwargs` are
    the form's own arguments (`user=…`); `error`, when given, is shown above the fields. A file sent with the
    form is not kept (browsers cannot refill a file input): it must be chosen again.

    The form works on a copy of the stored object: validating it writes the typed values into its instance,
    while `conflict.current` keeps the stored ones for the page to compare with."""
    data = form.data.copy()
    data["version"] = conflict.current.version
    again = type(form)(data, instance=copy.copy(conflict.current), **form_kwargs)
    again.is_valid()
    if error:
        again.add_error(None, error)
    return again
