"""Revisions of any model: a snapshot of chosen fields as JSON, the snapshot shown as readable values, a
field-by-field diff between two snapshots, and the fields that bring a snapshot back.

Where snapshots are stored and how they are numbered is the app's business (initiatives keep a Revision table);
what is generic is read from the model's fields: choices are shown by their label, foreign keys and
many-to-many relations by the names of their objects, dates in ISO format.

    INITIATIVE = RevisedFields(Initiative, {"title": "Titre", "themes": "Thèmes", …})
    INITIATIVE.snapshot(initiative)            # {"title": "…", "themes": [3, 7], …}
    INITIATIVE.diff(old, new)                  # [("Titre", "<del>…</del><ins>…</ins>"), …]
    initiative_update(initiative, **INITIATIVE.fields_of(old))   # restore
"""

import difflib
import re
from typing import Any

from django.db.models import Field, Model
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class RevisedFields:
    def __init__(self, model: type[Model], labels: dict[str, str]):
        """`labels`: the kept fields, in form order, with the label they are shown under."""
        self.model = model
        self.labels = labels

    def _field(self, name: str) -> Field:
        return self.model._meta.get_field(name)

    def snapshot(self, obj: Model) -> dict[str, Any]:
        """What a revision keeps: values as JSON (related ids sorted, dates in ISO format)."""
        return {name: self._stored(name, obj) for name in self.labels}

    def _stored(self, name: str, obj: Model) -> Any:
        field = self._field(name)
        if field.many_to_many:
            return sorted(getattr(obj, name).values_list("pk", flat=True))
        return as_snapshot_value(getattr(obj, field.attname))

    def from_form(self, cleaned_data: dict[str, Any]) -> dict[str, Any]:
        """A form's cleaned values in the shape of a snapshot (to compare what someone typed with a revision)."""
        return {name: as_snapshot_value(value) for name, value in cleaned_data.items() if name in self.labels}

    def fields_of(self, snapshot: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments of an update that bring `snapshot` back: foreign keys by id (`territory_id`),
        many-to-many relations as id lists, dates parsed. Fields the snapshot lacks are left out."""
        fields = {}
        for name in self.labels:
            if name not in snapshot:
                continue
            field, value = self._field(name), snapshot[name]
            if field.many_to_many:
                fields[name] = list(value or [])
            elif field.many_to_one:
                fields[field.attname] = value
            else:
                fields[name] = field.to_python(value)
        return fields

    def _display(self, name: str, value: Any) -> str | list[str]:
        field = self._field(name)
        if field.many_to_many:
            return _names(field.related_model, value or [])
        if field.many_to_one:
            return _names(field.related_model, [value])[0] if value else ""
        if field.choices:
            return str(dict(field.flatchoices).get(value, value or ""))
        return "" if value is None else str(value)

    def display(self, snapshot: dict[str, Any]) -> list[tuple[str, str]]:
        """A snapshot as readable (label, value) pairs, in form order."""
        rows = []
        for name, label in self.labels.items():
            value = self._display(name, snapshot.get(name))
            rows.append((label, ", ".join(value) if isinstance(value, list) else value))
        return rows

    def diff(self, old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, SafeString]]:
        """The changed fields, in form order, each as (label, HTML with <ins>/<del>)."""
        changes = []
        for name, label in self.labels.items():
            before, after = self._display(name, old.get(name)), self._display(name, new.get(name))
            if before == after:
                continue
            changes.append((label, _list_diff(before, after) if isinstance(after, list) else _text_diff(before, after)))
        return changes


def as_snapshot_value(value: Any) -> Any:
    """A value in the shape snapshots store: ids for related objects, sorted ids for several, ISO dates."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return sorted(v.pk if isinstance(v, Model) else v for v in value)
    return value


def _names(model: type[Model], ids: list) -> list[str]:
    by_pk = {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}
    return [by_pk.get(pk, f"#{pk} (supprimé)") for pk in ids]


def _text_diff(old: str, new: str) -> SafeString:
    """Word-level diff of two texts as HTML: removed words in <del>, added ones in <ins>."""
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if removed:
            parts.append(f"<del>{escape(removed)}</del>")
        if added:
            parts.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(parts))  # noqa: S308  (every piece escaped above)


def _list_diff(old: list[str], new: list[str]) -> SafeString:
    items = [f"<del>{escape(x)}</del>" for x in old if x not in new]
    items += [f"<ins>{escape(x)}</ins>" for x in new if x not in old]
    items += [escape(x) for x in new if x in old]
    return mark_safe(", ".join(items))  # noqa: S308  (every piece escaped above)
