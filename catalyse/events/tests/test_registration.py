"""Registering, the waiting list and its promotions, attendance (the services, on both databases)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from catalyse.accounts.models import AuditEntry
from catalyse.events import services
from catalyse.events.models import EventStatus, Registration, RegistrationStatus
from catalyse.events.queries import places

from .factories import EventFactory, SessionFactory, in_days

pytestmark = pytest.mark.django_db
CONFIRMED, WAITING, CANCELLED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING, RegistrationStatus.CANCELLED


def register(event, n: int, **kwargs) -> Registration:
    return services.registration_create(event=event, name=f"P{n}", email=f"p{n}@exemple.fr", **kwargs)


def test_registrations_beyond_capacity_go_to_the_waiting_list_in_order():
    event = EventFactory(capacity=2)
    statuses = [register(event, n).status for n in range(4)]
    assert statuses == [CONFIRMED, CONFIRMED, WAITING, WAITING]
    assert (places(event).confirmed, places(event).waiting, places(event).left) == (2, 2, 0)


def test_an_event_without_capacity_confirms_everyone():
    event = EventFactory(capacity=None)
    assert {register(event, n).status for n in range(5)} == {CONFIRMED}


def test_a_cancellation_promotes_the_first_of_the_waiting_list():
    event = EventFactory(capacity=1)
    first, second, third = (register(event, n) for n in range(3))
    promoted = services.registration_cancel(first)
    assert promoted == [second]
    second.refresh_from_db(), third.refresh_from_db()
    assert (second.status, third.status) == (CONFIRMED, WAITING)


def test_cancelling_from_the_waiting_list_promotes_nobody():
    event = EventFactory(capacity=1)
    register(event, 0)
    waiting = register(event, 1)
    assert services.registration_cancel(waiting) == []
    assert places(event).confirmed == 1


def test_cancelling_twice_changes_nothing():
    event = EventFactory(capacity=1)
    first = register(event, 0)
    register(event, 1)
    services.registration_cancel(first)
    assert services.registration_cancel(first) == []
    assert places(event).confirmed == 1


def test_more_places_promote_the_waiting_list():
    event = EventFactory(capacity=1)
    for n in range(4):
        register(event, n)
    services.event_update(event, capacity=3)
    assert places(event).confirmed == 3 and places(event).waiting == 1


def test_the_same_address_cannot_register_twice_whatever_its_case():
    event = EventFactory()
    register(event, 0)
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, name="Autre", email="P0@Exemple.fr")
    assert "déjà inscrite" in str(error.value)


def test_registering_again_after_cancelling_takes_a_new_place_at_the_end():
    event = EventFactory(capacity=1)
    first = register(event, 0)
    services.registration_cancel(first)
    register(event, 1)
    again = register(event, 0)
    assert again.pk == first.pk and again.status == WAITING and again.position == 3


@pytest.mark.parametrize("change", [{"status": EventStatus.DRAFT}, {"starts_at": in_days(-3), "ends_at": in_days(-2)}])
def test_drafts_and_past_events_refuse_registrations(change):
    event = EventFactory(**change)
    with pytest.raises(ValidationError):
        register(event, 0)
    assert not event.registrations.exists()


def test_a_group_must_be_a_workshop_of_the_event():
    event = EventFactory()
    other_workshop = SessionFactory()
    with pytest.raises(ValidationError):
        register(event, 0, session=other_workshop)
    assert register(event, 1, session=SessionFactory(event=event)).session.event == event


def test_attendance_is_recorded_for_confirmed_places_only_and_audited():
    event = EventFactory(capacity=1)
    confirmed, waiting = register(event, 0), register(event, 1)
    audited = AuditEntry.objects.count()
    services.attendance_mark(confirmed, attended=True)
    assert Registration.objects.get(pk=confirmed.pk).attended
    assert AuditEntry.objects.count() == audited + 1
    with pytest.raises(ValidationError):
        services.attendance_mark(waiting, attended=True)


def test_sessions_take_place_during_their_event():
    event = EventFactory()
    with pytest.raises(ValidationError):
        services.session_create(event=event, title="Trop tard", starts_at=event.ends_at, ends_at=in_days(30))


def test_an_event_gets_a_slug_from_its_title_and_year_and_starts_as_a_draft(animator):
    event = services.event_create(
        title="Rencontre annuelle", starts_at=in_days(5), ends_at=in_days(5, 17), created_by=animator
    )
    assert event.slug == f"rencontre-annuelle-{event.starts_at.year}" and event.status == EventStatus.DRAFT
    services.event_publish(event)
    assert event.status == EventStatus.PUBLISHED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_capacity_and_keep_a_distinct_rank():
    event = EventFactory(capacity=5)
    barrier = threading.Barrier(12)
    errors = []

    def one(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            register(event, n)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert (places(event).confirmed, places(event).waiting) == (5, 7)
    assert sorted(event.registrations.values_list("position", flat=True)) == list(range(1, 13))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_promote_each_waiting_person_once():
    event = EventFactory(capacity=3)
    regs = [register(event, n) for n in range(8)]
    barrier = threading.Barrier(3)

    def cancel(registration) -> None:
        try:
            barrier.wait(timeout=10)
            services.registration_cancel(registration)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in regs[:3]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    statuses = dict(event.registrations.values_list("email", "status"))
    assert [statuses[f"p{n}@exemple.fr"] for n in range(8)] == [CANCELLED] * 3 + [CONFIRMED] * 3 + [WAITING] * 2
