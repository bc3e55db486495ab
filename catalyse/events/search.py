"""Events in the search index (registered from apps.EventsConfig.ready): title, summary, description and the
programme's sessions. A published event is public; a draft is found by its organisers, as on its page: its
creator ("user:<id>"), the organising organisation's editors ("editor:<id>", a term this module grants) and
the animators. The people registered to an event hold "registered:<event id>" (granted here too, computed at
search time from queries.registered_event_ids, so the index needs no update when someone registers): documents
other apps keep for an event's participants, like its private resources, carry it."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Membership, MembershipRole
from catalyse.core.markdown import markdown_text_converter
from catalyse.search.documents import BODY_STORED_CHARS, SearchDocument, chunks, place
from catalyse.search.registry import DateField, Facet, SearchKind, Watch, register, register_grants

from .models import Event, EventKind, EventStatus, Session
from .queries import registered_event_ids


def organiser_audience(creator_id: int | None, organiser_id: int | None) -> list[str]:
    """Audience terms of an event's organisers (mirrors permissions.organiser_q; animators see everything)."""
    return [*([f"user:{creator_id}"] if creator_id else []), *([f"editor:{organiser_id}"] if organiser_id else [])]


def registrant_audience(event_id: int) -> str:
    """The audience term of the people registered to an event (mirrors queries.registered_event_ids)."""
    return f"registered:{event_id}"


def _registrations(user) -> list[str]:
    return [registrant_audience(pk) for pk in registered_event_ids(user).values_list("event_id", flat=True)]


def _editorships(user) -> list[str]:
    editor_of = Membership.objects.filter(user=user, role=MembershipRole.EDITOR)
    return [f"editor:{pk}" for pk in editor_of.values_list("organisation_id", flat=True)]


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
                else organiser_audience(event.created_by_id, event.organiser_id)
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
    register_grants(_editorships)
    register_grants(_registrations)
