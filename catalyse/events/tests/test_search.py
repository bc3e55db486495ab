"""Events in the global search, on each engine: published events for everyone, drafts for their creator and
the animators; a change of the programme reaches the index."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalyse.events import services
from catalyse.events.models import EventStatus
from catalyse.search.outbox import outbox_process
from catalyse.search.queries import SearchParams, search_run
from catalyse.search.registry import indexed_kinds

from .factories import in_days

pytestmark = pytest.mark.django_db


def found(backend, user, q) -> set[str]:
    return {h.title for h in search_run(user, SearchParams.from_query_dict(QueryDict(q)), backend=backend).hits}


def test_the_event_kind_is_registered_under_its_french_label():
    assert str(indexed_kinds()["event"].label) == "Événement"


def test_published_events_are_found_drafts_only_by_their_creator(backend, animator, outsider):
    services.event_create(
        title="Rencontre des bocages",
        starts_at=in_days(3),
        ends_at=in_days(3, 17),
        status=EventStatus.PUBLISHED,
        created_by=animator,
    )
    services.event_create(
        title="Brouillon des bocages", starts_at=in_days(4), ends_at=in_days(4, 17), created_by=animator
    )
    outbox_process()
    assert found(backend, AnonymousUser(), "q=bocages") == {"Rencontre des bocages"}
    assert found(backend, outsider, "q=bocages") == {"Rencontre des bocages"}
    assert found(backend, animator, "q=bocages") == {"Rencontre des bocages", "Brouillon des bocages"}


def test_a_session_title_finds_its_event(backend, animator):
    event = services.event_create(
        title="Journée d'été",
        starts_at=in_days(3),
        ends_at=in_days(3, 17),
        status=EventStatus.PUBLISHED,
        created_by=animator,
    )
    services.session_create(event=event, title="Atelier permaculture", starts_at=in_days(3, 10), ends_at=in_days(3, 11))
    outbox_process()
    assert found(backend, AnonymousUser(), "q=permaculture") == {"Journée d'été"}
