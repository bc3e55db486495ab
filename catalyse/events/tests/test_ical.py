"""The .ics of an event and the calendar feed, parsed back with the icalendar library."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.events.models import EventStatus

from .factories import EventFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_an_event_ics_holds_the_event_in_paris_time_with_its_place_and_page(client):
    start = datetime.datetime(2027, 6, 24, 9, 0, tzinfo=PARIS)
    event = EventFactory(
        title="Rencontre d'été",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=8, minutes=30),
        address="5 rue de l'Exemple, Paris",
        online_url="",
    )
    calendar = parse(client.get(f"/evenements/{event.slug}.ics"))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Rencontre d'été"
    assert vevent.decoded("DTSTART") == start and vevent.decoded("DTEND") == start + datetime.timedelta(
        hours=8, minutes=30
    )
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"  # the zone travels with the file
    assert str(vevent["LOCATION"]) == "5 rue de l'Exemple, Paris"
    assert str(vevent["URL"]) == f"http://testserver/evenements/{event.slug}/"
    assert str(vevent["UID"]) == f"evenement-{event.pk}@catalyse"


def test_the_organiser_is_named_in_the_description_not_as_a_calendar_address(client):
    # Calendar applications offer to e-mail an ORGANIZER; the organisation's address is never published.
    organisation = OrganisationFactory(name="Réseau des catalyseurs", email="contact@example.org")
    event = EventFactory(organiser=organisation)
    [vevent] = parse(client.get(f"/evenements/{event.slug}.ics")).walk("VEVENT")
    assert "ORGANIZER" not in vevent
    assert (f"Organisé par Réseau des catalyseurs : http://testserver{organisation.get_absolute_url()}"
            in str(vevent["DESCRIPTION"]))
    assert "contact@example.org" not in client.get(f"/evenements/{event.slug}.ics").content.decode()


def test_an_online_event_gives_its_link_as_location(client):
    event = EventFactory(online_url="https://visio.example.org/salle")
    [vevent] = parse(client.get(f"/evenements/{event.slug}.ics")).walk("VEVENT")
    assert str(vevent["LOCATION"]) == "https://visio.example.org/salle"


def test_the_feed_lists_published_events_only_and_keeps_their_uid(client):
    shown, hidden = EventFactory(title="Publié"), EventFactory(title="Brouillon", status=EventStatus.DRAFT)
    feed = client.get("/evenements/calendrier.ics")
    events = parse(feed).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Publié"]
    assert str(events[0]["UID"]) == f"evenement-{shown.pk}@catalyse"
    assert client.get(f"/evenements/{hidden.slug}.ics").status_code == 404


def test_text_with_commas_semicolons_and_line_breaks_survives_the_round_trip(client):
    event = EventFactory(title="Atelier ; bilan, suite", summary="Ligne 1", description="Deux\n\nparagraphes, ici ; là")
    [vevent] = parse(client.get(f"/evenements/{event.slug}.ics")).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Atelier ; bilan, suite"
    assert "paragraphes, ici ; là" in str(vevent["DESCRIPTION"])


def test_the_event_page_links_its_ics(client):
    event = EventFactory()
    assert f'href="/evenements/{event.slug}.ics"' in client.get(event.get_absolute_url()).content.decode()
