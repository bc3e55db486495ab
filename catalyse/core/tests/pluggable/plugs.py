"""What the app contributes to the platform: registered in apps.py, like a real app would."""

from collections.abc import Callable, Iterable
from typing import Any

from .models import Note, NoteStatus

DEMO_TITLE = "Note de démonstration"
GENERATED_PREFIX = "Note générée"


def note_apply_change(note: Note, field: str, value: str) -> None:
    setattr(note, field, value)
    note.save(update_fields=[field])


def notes_created(user) -> tuple[Any, Iterable]:
    return [{"title": n.title, "status": n.status} for n in Note.objects.filter(created_by=user)], []


def demo_load() -> str:
    _, created = Note.objects.get_or_create(title=DEMO_TITLE, defaults={"status": NoteStatus.PUBLISHED})
    return f"1 note ({int(created)} créée)"


def notes_generate(*, count: int, seed: int = 0, batch: int = 1_000,
                   progress: Callable[[int], None] | None = None) -> int:
    Note.objects.bulk_create([Note(title=f"{GENERATED_PREFIX} {seed}-{i}") for i in range(count)], batch_size=batch)
    if progress:
        progress(count)
    return count


def notes_clear() -> int:
    return Note.objects.filter(title__startswith=GENERATED_PREFIX).delete()[0]
