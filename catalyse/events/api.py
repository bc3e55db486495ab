"""Events API (a contract): the calendar of the network's events, and each event's iCalendar file."""

from datetime import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from catalyse.api.pagination import LimitOffset
from catalyse.core import permissions

from . import queries
from .ical import ics_response
from .models import EventKind

router = Router(tags=["événements"])


class CalendarEventOut(Schema):
    slug: str
    title: str
    kind: str = Field(description="rencontre, webinaire, atelier, voyage")
    summary: str
    starts_at: datetime
    ends_at: datetime
    territory: str | None = Field(None, description="level:code du territoire")
    address: str
    online_url: str
    capacity: int | None
    organiser: str | None = Field(None, alias="organiser.slug", description="slug de l'organisation")
    url: str = Field(alias="get_absolute_url")
    ics_url: str

    @staticmethod
    def resolve_territory(event) -> str | None:
        return f"{event.territory.level}:{event.territory.code}" if event.territory_id else None

    @staticmethod
    def resolve_ics_url(event) -> str:
        return f"/api/v1/events/{event.slug}.ics"


class CalendarEventsFilter(Schema):
    kind: EventKind | None = None
    upcoming: bool | None = Field(None, description="true : à venir ou en cours ; false : passés")


@router.get("", response=list[CalendarEventOut], summary="Événements du réseau")
@paginate(LimitOffset)
def events(request, filters: Query[CalendarEventsFilter]):
    qs = queries.events_visible_to(request.user).order_by("-starts_at", "pk")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.upcoming is not None:
        now = timezone.now()
        qs = qs.filter(ends_at__gte=now) if filters.upcoming else qs.filter(ends_at__lt=now)
    return qs


@router.get(
    "/{slug}.ics",
    summary="Un événement au format iCalendar (RFC 5545)",
    openapi_extra={
        "responses": {
            200: {"description": "text/calendar", "content": {"text/calendar": {"schema": {"type": "string"}}}}
        }
    },
)
def event_ics(request, slug: str):
    event = permissions.get_visible_or_404(request.user, queries.events_visible_to(request.user), slug=slug)
    return ics_response(request, [event], name=event.title, filename=f"{event.slug}.ics")
