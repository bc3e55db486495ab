"""Snapshots of initiatives and practice sheets, and a readable field-by-field diff between two of them."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from catalyse.territories.models import Territory

from .models import Initiative, PracticeSheet, Sdg, Stage, Status, Theme, Visibility

INITIATIVE_LABELS = {
    "title": "Titre", "summary": "Résumé", "recit": "Récit", "stage": "Stade", "status": "État",
    "visibility": "Visibilité", "start_date": "Début", "end_date": "Fin", "cover_alt": "Description de l'image",
    "territories": "Territoires", "themes": "Thèmes", "sdgs": "ODD",
}
SHEET_LABELS = {
    "title": "Titre", "territory": "Territoire", "objective": "Objectif", "actors_involved": "Acteurs impliqués",
    "description": "Description", "next_step": "Prochaine étape", "tools_used": "Outils utilisés",
}
CHOICES = {"stage": dict(Stage.choices), "status": dict(Status.choices), "visibility": dict(Visibility.choices)}


def initiative_snapshot(initiative: Initiative) -> dict:
    """What a revision keeps: text, classification and dates (related ids sorted, dates in ISO format)."""
    return {
        "title": initiative.title,
        "summary": initiative.summary,
        "recit": initiative.recit,
        "stage": initiative.stage,
        "status": initiative.status,
        "visibility": initiative.visibility,
        "start_date": initiative.start_date.isoformat() if initiative.start_date else None,
        "end_date": initiative.end_date.isoformat() if initiative.end_date else None,
        "cover_alt": initiative.cover_alt,
        "territories": sorted(initiative.territories.values_list("pk", flat=True)),
        "themes": sorted(initiative.themes.values_list("pk", flat=True)),
        "sdgs": sorted(initiative.sdgs.values_list("pk", flat=True)),
    }


def sheet_snapshot(sheet: PracticeSheet) -> dict:
    return {
        "title": sheet.title, "territory": sheet.territory_id, "objective": sheet.objective,
        "actors_involved": sheet.actors_involved, "description": sheet.description,
        "next_step": sheet.next_step, "tools_used": sheet.tools_used,
    }


def _names(model, ids) -> list[str]:
    by_pk = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=ids)}
    return [by_pk.get(pk, f"#{pk} (supprimé)") for pk in ids]


def _display(field: str, value) -> str | list[str]:
    if field in CHOICES:
        return str(CHOICES[field].get(value, value or ""))
    if field == "territories":
        return _names(Territory, value or [])
    if field == "territory":
        return _names(Territory, [value])[0] if value else ""
    if field == "themes":
        return _names(Theme, value or [])
    if field == "sdgs":
        return _names(Sdg, value or [])
    return "" if value is None else str(value)


def snapshot_display(snapshot: dict, *, labels: dict[str, str]) -> list[tuple[str, str]]:
    """A snapshot as readable (label, value) pairs, in form order."""
    rows = []
    for field, label in labels.items():
        value = _display(field, snapshot.get(field))
        rows.append((label, ", ".join(value) if isinstance(value, list) else value))
    return rows


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


def snapshot_diff(old: dict, new: dict, *, labels: dict[str, str]) -> list[tuple[str, SafeString]]:
    """The changed fields, in form order, each as (label, HTML with <ins>/<del>)."""
    changes = []
    for field, label in labels.items():
        before, after = _display(field, old.get(field)), _display(field, new.get(field))
        if before == after:
            continue
        if isinstance(after, list):
            changes.append((label, _list_diff(before, after)))
        else:
            changes.append((label, _text_diff(before, after)))
    return changes


def revision_diff(revision, previous) -> list[tuple[str, SafeString]]:
    """What `revision` changed compared with `previous` (None: the creation, everything is new)."""
    labels = SHEET_LABELS if revision.sheet_id else INITIATIVE_LABELS
    return snapshot_diff(previous.snapshot if previous else {}, revision.snapshot, labels=labels)
