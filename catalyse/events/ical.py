"""iCalendar (RFC 5545) for events: one event's `.ics` and the subscribable feed of the published ones.

Times are written in Europe/Paris with its VTIMEZONE, so that calendars show the local hour whatever the
subscriber's zone, and each event keeps one UID across updates (a calendar refreshing the feed updates it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from catalyse.core.markdown import markdown_to_text

from .models import Event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Catalyse//Evenements//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def location(event: Event) -> str:
    """Where it happens, in one line: the address and territory, or the online link."""
    place = ", ".join(part for part in (event.address, event.territory.name if event.territory else "") if part)
    return place or event.online_url


def _vevent(event: Event, absolute: Callable[[str], str]) -> VEvent:
    zone = ZoneInfo(settings.TIME_ZONE)
    vevent = VEvent()
    vevent.add("uid", f"evenement-{event.pk}@catalyse")
    vevent.add("dtstamp", event.updated_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", event.title)
    url = absolute(event.get_absolute_url())
    # ORGANIZER would need a calendar address (mailto:) and the organisation's e-mail is never published: calendar
    # applications offer to write to an ORGANIZER, so its name and page go in the description instead.
    organiser = (_("Organisé par %(name)s : %(url)s") % {"name": event.organiser.name,
                                                         "url": absolute(event.organiser.get_absolute_url())}
                 if event.organiser_id else "")
    description = "\n\n".join(
        part for part in (event.summary, markdown_to_text(event.description), organiser, url) if part
    )
    vevent.add("description", description)
    vevent.add("url", url)
    vevent.add("categories", [event.get_kind_display()])
    vevent.add("status", "CONFIRMED")
    if location(event):
        vevent.add("location", location(event))
    return vevent


def calendar_bytes(events: Iterable[Event], *, name: str, absolute: Callable[[str], str]) -> bytes:
    """A VCALENDAR of `events`; `absolute` turns a path into a full address (request.build_absolute_uri)."""
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_vevent(event, absolute))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def ics_response(request: HttpRequest, events: Iterable[Event], *, name: str, filename: str) -> HttpResponse:
    """An iCalendar download of `events` (the pages and the API serve the same file)."""
    response = HttpResponse(
        calendar_bytes(events, name=name, absolute=request.build_absolute_uri),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
