"""What the events app holds about a person, for their GDPR export: their registrations."""

from collections.abc import Iterable
from typing import Any

from .queries import registrations_of


def registrations(user) -> tuple[Any, Iterable]:
    rows = [
        {
            "event": r.event.title,
            "event_slug": r.event.slug,
            "starts_at": r.event.starts_at.isoformat(),
            "name": r.name,
            "email": r.email,
            "organisation": r.organisation_label,
            "group": r.session.title if r.session_id else None,
            "status": r.status,
            "position": r.position,
            "public_name": r.public_name,
            "attended": r.attended,
            "created_at": r.created_at.isoformat(),
        }
        for r in registrations_of(user).select_related("event", "organisation", "session").order_by("pk")
    ]
    return rows, []
