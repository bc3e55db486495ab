"""What the evaluation holds about a person, for their GDPR export: the evidence they added, with its files."""

from collections.abc import Iterable
from typing import Any

from .models import Evidence


def evidence_created(user) -> tuple[Any, Iterable]:
    evidence = list(Evidence.objects.filter(created_by=user).select_related("initiative").order_by("pk"))
    rows = [{"initiative": e.initiative.slug, "kind": e.kind, "title": e.title, "text": e.text,
             "speaker_role": e.speaker_role, "url": e.url, "source": e.source, "tags": e.tags,
             "file": e.file.name or None, "is_public": e.is_public, "created_at": e.created_at.isoformat()}
            for e in evidence]
    return rows, [e.file for e in evidence if e.file]
