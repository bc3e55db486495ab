"""What the app contributes to the platform: registered in apps.py, like a real app would."""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from catalyse.search.documents import SearchDocument, chunks

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


def notes_documents(qs: QuerySet) -> Iterator[SearchDocument]:
    """Published notes are public; the others are seen by their author (and the animators) only."""
    for rows in chunks(qs, ("pk", "title", "body", "status", "created_by_id", "created_at")):
        for pk, title, body, status, author, created in rows:
            audience = ["public"] if status == NoteStatus.PUBLISHED else [f"user:{author}"] if author else []
            yield SearchDocument(kind="note", object_id=pk, title=title, url=f"/notes/{pk}/", body=body,
                                 audience=audience, updated_at=created)
