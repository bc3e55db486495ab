"""What leaves the site about events: the schema.org `Event` of a page, and the organisers' registration list."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalyse.core.exports import Column
from catalyse.core.markdown import markdown_to_text

from .ical import location
from .models import Event


def _local(moment) -> str:
    """ISO 8601 in Paris time: what the page shows, with its offset."""
    return timezone.localtime(moment).isoformat()


def event_jsonld(event: Event, sessions, request: HttpRequest) -> dict[str, Any]:
    """A schema.org Event (https://schema.org/Event); never a participant."""
    page = request.build_absolute_uri(event.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": page,
        "url": page,
        "name": event.title,
        "startDate": _local(event.starts_at),
        "endDate": _local(event.ends_at),
        "eventStatus": "https://schema.org/EventScheduled",
        "inLanguage": "fr",
    }
    if event.summary or event.description:
        data["description"] = event.summary or markdown_to_text(event.description)[:500]
    places = []
    if event.address or event.territory_id:
        address = {
            "@type": "PostalAddress",
            "streetAddress": event.address or None,
            "addressLocality": event.territory.name if event.territory_id else None,
            "addressCountry": "FR",
        }
        places.append({"@type": "Place", "name": location(event), "address": {k: v for k, v in address.items() if v}})
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    mode = "Mixed" if len(places) == 2 else "Online" if event.online_url else "Offline"
    data["eventAttendanceMode"] = f"https://schema.org/{mode}EventAttendanceMode"
    if event.organiser_id:
        data["organizer"] = {
            "@type": "Organization",
            "name": event.organiser.name,
            "url": request.build_absolute_uri(event.organiser.get_absolute_url()),
        }
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
    if sessions:
        data["subEvent"] = [
            {"@type": "Event", "name": s.title, "startDate": _local(s.starts_at), "endDate": _local(s.ends_at)}
            for s in sessions
        ]
    return data


REGISTRATION_COLUMNS = [
    Column("nom", _("Nom"), lambda r: r.name),
    Column("email", _("Adresse électronique"), lambda r: r.email),
    Column("organisation", _("Organisation"), lambda r: r.organisation_label),
    Column("groupe", _("Groupe d'atelier"), lambda r: r.session.title if r.session_id else ""),
    Column("etat", _("État"), lambda r: r.get_status_display()),
    Column("rang", _("Rang d'inscription"), lambda r: r.position),
    Column("nom_public", _("Nom affiché publiquement"), lambda r: r.public_name),
    Column("present", _("Présent"), lambda r: r.attended),
    Column("inscrit_le", _("Inscrit le"), lambda r: r.created_at),
]
