"""The demo: the 2019 annual meeting reconstructed from its report, the webinar cycle, a full workshop."""

import re

import pytest
from django.core import mail

from catalyse.actors import demo as actors_demo
from catalyse.events import demo
from catalyse.events.models import Event, EventKind, Registration, RegistrationStatus, SessionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actors_demo.load()
        demo.load()


def test_the_2019_meeting_has_its_programme_and_four_workshop_groups(loaded):
    meeting = Event.objects.get(slug=demo.MEETING_SLUG)
    assert meeting.kind == EventKind.ANNUAL_MEETING and meeting.starts_at.year == 2019
    kinds = list(meeting.sessions.values_list("kind", flat=True))
    assert kinds.count(SessionKind.WORKSHOP) == 4 and kinds.count(SessionKind.PEER_CONSULTING) == 4
    assert SessionKind.ROUND_TABLE in kinds and SessionKind.PLENARY in kinds
    assert meeting.sessions.get(kind=SessionKind.ROUND_TABLE).speakers.count() == 5
    assert meeting.territory is not None and meeting.organiser.slug == "le-rameau"


def test_twelve_monthly_webinars_some_of_them_to_come(loaded):
    webinars = Event.objects.filter(kind=EventKind.WEBINAR).order_by("starts_at")
    assert webinars.count() == 12
    months = [(w.starts_at.year, w.starts_at.month) for w in webinars]
    assert len(set(months)) == 12
    assert sum(not w.is_over for w in webinars) >= 9


def test_demo_participants_have_no_names_and_the_workshop_has_a_waiting_list(loaded):
    names = Registration.objects.values_list("name", flat=True)
    assert all(re.fullmatch(r"([A-Z]\. )+[A-Z]\.|Participant·e [A-Z]", n) for n in names)
    workshop = Event.objects.get(slug=demo.WORKSHOP_SLUG)
    assert workshop.registrations.filter(status=RegistrationStatus.WAITING).count() == 2


def test_loading_twice_changes_nothing(loaded):
    before = (Event.objects.count(), Registration.objects.count())
    assert "0 webinaires créés" in demo.load()
    assert (Event.objects.count(), Registration.objects.count()) == before


def test_the_demo_emails_none_of_its_made_up_participants(loaded):
    assert Registration.objects.exists() and mail.outbox == []
