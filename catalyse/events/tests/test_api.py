"""The events API (a contract): the paginated list with its total count, and each event's .ics."""

import pytest
from icalendar import Calendar

from catalyse.events.models import EventKind, EventStatus

from .factories import EventFactory, in_days

pytestmark = pytest.mark.django_db


def test_the_list_is_paginated_with_a_total_count_and_hides_drafts(client):
    for n in range(5):
        EventFactory(
            title=f"Webinaire {n}", kind=EventKind.WEBINAR, starts_at=in_days(n + 1), ends_at=in_days(n + 1, 10)
        )
    EventFactory(title="Brouillon", status=EventStatus.DRAFT)
    data = client.get("/api/v1/events?limit=2&offset=1").json()
    assert data["count"] == 5 and [e["title"] for e in data["items"]] == ["Webinaire 3", "Webinaire 2"]
    item = data["items"][0]
    assert item["kind"] == "webinaire" and item["url"] == f"/evenements/{item['slug']}/"
    assert item["ics_url"] == f"/api/v1/events/{item['slug']}.ics"


def test_animators_see_drafts_in_the_list(client, animator):
    EventFactory(status=EventStatus.DRAFT)
    client.force_login(animator)
    assert client.get("/api/v1/events").json()["count"] == 1


def test_the_list_filters_by_kind_and_period(client):
    EventFactory(kind=EventKind.WEBINAR)
    EventFactory(kind=EventKind.STUDY_TRIP, starts_at=in_days(-10), ends_at=in_days(-9))
    assert client.get("/api/v1/events?kind=voyage").json()["count"] == 1
    assert client.get("/api/v1/events?upcoming=true").json()["items"][0]["kind"] == "webinaire"
    assert client.get("/api/v1/events?upcoming=false").json()["items"][0]["kind"] == "voyage"


def test_bad_parameters_give_a_readable_422(client):
    response = client.get("/api/v1/events?kind=fete&limit=0")
    assert response.status_code == 422 and "detail" in response.json()


def test_an_event_ics_parses_and_a_draft_is_404(client):
    event = EventFactory(title="Voyage d'étude")
    response = client.get(f"/api/v1/events/{event.slug}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    [vevent] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Voyage d'étude"
    draft = EventFactory(status=EventStatus.DRAFT)
    missing = client.get(f"/api/v1/events/{draft.slug}.ics")
    assert missing.status_code == 404 and missing.json()["detail"]
    assert client.get("/api/v1/events/nulle-part.ics").status_code == 404
