"""Events in the search index (registered from apps.EventsConfig.ready): title, summary, description and the
programme's sessions. A published event is public; a draft is found by its creator and the animators only
(a narrower audience than its page, which the organising organisation's editors also see)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalyse.core.markdown import markdown_text_converter
from catalyse.search.documents import BODY_STORED_CHARS, SearchDocument, chunks, place
from catalyse.search.registry import DateField, Facet, SearchKind, Watch, register

from .models import Event, EventKind, EventStatus, Session


def _kind_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in EventKind.choices}


EVENT_KIND = Facet("event_kind", _("Type d'événement"), "type_evenement", _kind_labels)


def _events(qs: QuerySet) -> Iterator[SearchDocument]:
    text = markdown_text_converter()
    for chunk in chunks(qs, ("pk",), 1000):
        events = list(Event.objects.filter(pk__in=[r[0] for r in chunk]).order_by("pk"))
        sessions: dict[int, list[str]] = {}
        for event_id, title in (
            Session.objects.filter(event__in=events)
            .order_by("starts_at", "order", "pk")
            .values_list("event_id", "title")
        ):
            sessions.setdefault(event_id, []).append(title)
        for event in events:
            audience = (
                ["public"]
                if event.status == EventStatus.PUBLISHED
                else ([f"user:{event.created_by_id}"] if event.created_by_id else [])
            )
            body = "\n".join(
                part for part in (text(event.description), *sessions.get(event.pk, ()), event.address) if part
            )
            doc = SearchDocument(
                kind="event",
                object_id=event.pk,
                title=event.title,
                url=event.get_absolute_url(),
                summary=event.summary,
                body=body[:BODY_STORED_CHARS],
                audience=audience,
                updated_at=event.updated_at,
                terms={"event_kind": [event.kind]},
                dates={"starts": timezone.localdate(event.starts_at)},
            )
            place(doc, [event.territory_id] if event.territory_id else [])
            yield doc


def connect() -> None:
    sessions = Watch("events.Session", lambda session: [session.event_id])
    register(
        SearchKind(
            "event",
            "events.Event",
            _events,
            _("Événement"),
            "📅",
            (EVENT_KIND, DateField("starts")),
            watches=(sessions,),
        )
    )
