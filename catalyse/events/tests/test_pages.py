"""The events pages: listing, event page, registration form, participants' privacy, organisers' tools."""

import json
import re

import pytest
from django.utils import timezone

from catalyse.accounts import personal_data
from catalyse.accounts.tests.factories import UserFactory
from catalyse.events import services
from catalyse.events.models import EventKind, EventStatus, Registration, RegistrationStatus

from .factories import EventFactory, RegistrationFactory, SessionFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org, owner):
    """An event organised by `org` (whose editor is `owner`), with one public and one private participant."""
    event = EventFactory(title="Rencontre du réseau", organiser=org, capacity=2)
    RegistrationFactory(
        event=event, name="Nom Public", email="public@exemple.fr", public_name=True, status=RegistrationStatus.CONFIRMED
    )
    RegistrationFactory(
        event=event,
        name="Nom Discret",
        email="discret@exemple.fr",
        public_name=False,
        status=RegistrationStatus.CONFIRMED,
    )
    return event


def test_the_list_shows_upcoming_and_past_events_and_filters_by_kind(client):
    EventFactory(title="Webinaire à venir", kind=EventKind.WEBINAR)
    EventFactory(
        title="Rencontre passée", kind=EventKind.ANNUAL_MEETING, starts_at=in_days(-30), ends_at=in_days(-30, 17)
    )
    EventFactory(title="Brouillon secret", status=EventStatus.DRAFT)
    page = client.get("/evenements/").content.decode()
    upcoming, past = page.split('id="past-title"')
    assert "Webinaire à venir" in upcoming and "Rencontre passée" in past and "Brouillon secret" not in page
    filtered = client.get("/evenements/?type=webinaire").content.decode()
    assert "Webinaire à venir" in filtered and "Rencontre passée" not in filtered


def test_the_list_filters_by_region(client):
    from catalyse.territories.models import Territory

    lens = Territory.objects.get(level="commune", code="62498")
    EventFactory(title="À Lens", territory=lens)
    EventFactory(title="Ailleurs")
    page = client.get(f"/evenements/?territoire=region:{lens.region.code}").content.decode()
    assert "À Lens" in page and "Ailleurs" not in page


def test_a_bad_filter_value_is_ignored_not_an_error(client):
    assert client.get("/evenements/?type=inconnu&territoire=n'importe quoi").status_code == 200


def test_a_draft_is_not_found_by_visitors_but_shown_to_its_organisers(client, owner, org):
    draft = EventFactory(status=EventStatus.DRAFT, organiser=org)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(owner)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_visitors_see_only_participants_who_chose_a_public_name(client, event):
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Nom Public" in page
    assert "Nom Discret" not in page and "discret@exemple.fr" not in page and "public@exemple.fr" not in page
    assert "2 participants inscrits" in page


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_who_do_not_organise_see_no_private_participant_nor_the_export(client, event, who, request):
    client.force_login(request.getfixturevalue(who))
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Nom Discret" not in page and "inscriptions.csv" not in page
    assert client.get(f"/evenements/{event.slug}/inscriptions.csv").status_code == 403


def test_organisers_see_every_registration_and_export_them(client, event, owner):
    client.force_login(owner)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Nom Discret" in page and "discret@exemple.fr" in page
    response = client.get(f"/evenements/{event.slug}/inscriptions.csv")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("nom,email,organisation") and len(rows) == 3
    assert any("Nom Discret" in row and "non" in row for row in rows[1:])


def test_visitors_get_no_export(client, event):
    assert client.get(f"/evenements/{event.slug}/inscriptions.csv").status_code == 403


def test_organisers_print_the_lists_of_each_workshop_group_with_organisations(client, event, owner, member, org):
    late = SessionFactory(event=event, title="Atelier B : les lieux", starts_at=in_days(10, 14),
                          ends_at=in_days(10, 16))
    early = SessionFactory(event=event, title="Atelier A : la mobilité", starts_at=in_days(10, 9),
                           ends_at=in_days(10, 11))
    Registration.objects.filter(name="Nom Discret").update(session=early, organisation=org)
    RegistrationFactory(event=event, name="Nom En Attente", session=early, status=RegistrationStatus.WAITING)
    RegistrationFactory(event=event, name="Nom Annulé", session=late, status=RegistrationStatus.CANCELLED)

    assert client.get(f"/evenements/{event.slug}/groupes/").status_code == 403  # as the export
    client.force_login(member)
    assert client.get(f"/evenements/{event.slug}/groupes/").status_code == 403
    client.force_login(owner)
    response = client.get(f"/evenements/{event.slug}/groupes/")
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    # the programme's order, then the confirmed people who chose no group; not the waiting or cancelled ones
    a, b, none = page.index("Atelier A : la mobilité"), page.index("Atelier B : les lieux"), page.index("Sans groupe")
    assert a < b < none
    assert "Nom Discret" in page[a:b] and "Alliance d&#x27;essai" in page[a:b] and "Nom Public" in page[none:]
    assert "Personne n'a encore choisi ce groupe." in page[b:none]
    assert "Nom En Attente" not in page and "Nom Annulé" not in page
    assert f'href="/evenements/{event.slug}/groupes/"' in client.get(event.get_absolute_url()).content.decode()


def test_registering_through_the_page_confirms_then_fills_the_waiting_list(client):
    event = EventFactory(capacity=1)
    group = SessionFactory(event=event, title="Groupe bleu")
    data = {
        "name": "A. B.",
        "email": "ab@exemple.fr",
        "organisation_name": "Collectif",
        "session": group.pk,
        "public_name": "on",
    }
    response = client.post(f"/evenements/{event.slug}/inscription/", data, follow=True)
    assert "Un courriel part vers l&#x27;adresse indiquée" in response.content.decode()
    client.post(f"/evenements/{event.slug}/inscription/", {**data, "email": "cd@exemple.fr"}, follow=True)
    first = Registration.objects.get(email="ab@exemple.fr")
    assert (first.session, first.public_name, first.status) == (group, True, RegistrationStatus.CONFIRMED)
    assert Registration.objects.get(email="cd@exemple.fr").status == RegistrationStatus.WAITING


def test_a_signed_in_person_registering_their_own_address_reads_their_status(client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        f"/evenements/{event.slug}/inscription/", {"name": "Moi", "email": person.email.upper()}, follow=True
    )
    assert "vous êtes sur la liste d&#x27;attente" in response.content.decode()


def test_an_invalid_address_is_refused_with_a_message(client, event):
    response = client.post(f"/evenements/{event.slug}/inscription/", {"name": "X", "email": "pas-une-adresse"})
    assert response.status_code == 400 and "adresse de courriel valide" in response.content.decode()


def test_a_registration_form_without_csrf_token_is_refused(event):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        f"/evenements/{event.slug}/inscription/", {"name": "X", "email": "x@exemple.fr"}
    )
    assert response.status_code == 403 and event.registrations.count() == 2


def test_a_signed_in_person_cancels_their_own_registration_and_the_waiting_list_moves_up(client):
    person = UserFactory()
    event = EventFactory(capacity=1)
    mine = services.registration_create(event=event, user=person, name="Moi", email=person.email)
    waiting = services.registration_create(event=event, name="Suivant", email="suivant@exemple.fr")
    client.force_login(person)
    client.post(f"/evenements/{event.slug}/inscriptions/{mine.pk}/", {"action": "annuler"})
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    # and may not touch anyone else's
    assert client.post(f"/evenements/{event.slug}/inscriptions/{waiting.pk}/", {"action": "annuler"}).status_code == 403


def test_organisers_record_attendance(client, event, owner):
    registration = event.registrations.get(email="discret@exemple.fr")
    client.force_login(owner)
    client.post(f"/evenements/{event.slug}/inscriptions/{registration.pk}/", {"action": "present"})
    registration.refresh_from_db()
    assert registration.attended


def test_the_event_page_carries_a_schema_org_event_without_participants(client, event):
    SessionFactory(event=event, title="Plénière")
    page = client.get(event.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "Event" and data["name"] == "Rencontre du réseau"
    assert (
        data["startDate"] == timezone.localtime(event.starts_at).isoformat()
        and data["organizer"]["name"] == event.organiser.name
    )
    assert data["subEvent"][0]["name"] == "Plénière"
    assert "Nom" not in json.dumps(data)


def test_the_personal_data_export_holds_the_person_registrations_and_deletion_erases_them():
    person = UserFactory()
    event = EventFactory(capacity=1)
    services.registration_create(event=event, user=person, name="Moi Même", email=person.email, public_name=True)
    waiting = services.registration_create(event=event, name="Suivant", email="suivant@exemple.fr")
    rows, _files = personal_data._EXPORTERS["event_registrations"](person)
    assert [(r["name"], r["status"]) for r in rows] == [("Moi Même", "confirmed")]
    personal_data.account_delete(person)
    erased = Registration.objects.get(event=event, pk__lt=waiting.pk)
    assert erased.name != "Moi Même" and person.email not in erased.email and not erased.public_name
    assert erased.status == RegistrationStatus.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED  # the freed place went to the waiting list


def test_the_home_page_lists_the_next_published_events_only(client):
    from catalyse.events.queries import upcoming_events

    EventFactory(title="Dans un mois", starts_at=in_days(30), ends_at=in_days(30, 12))
    EventFactory(title="Demain", starts_at=in_days(1), ends_at=in_days(1, 12))
    EventFactory(title="Hier", starts_at=in_days(-1), ends_at=in_days(-1, 12))
    EventFactory(title="Brouillon", status=EventStatus.DRAFT)
    assert [e.title for e in upcoming_events(limit=2)] == ["Demain", "Dans un mois"]
    html = client.get("/").content.decode()
    assert "Prochains événements" in html and "Demain" in html and "Dans un mois" in html
    assert "Hier" not in html and "Brouillon" not in html and "/evenements/calendrier.ics" in html


def test_a_person_who_cancelled_may_register_again_through_the_form(client):
    event = EventFactory()
    services.registration_cancel(services.registration_create(event=event, name="A. B.", email="ab@exemple.fr"))
    response = client.post(f"/evenements/{event.slug}/inscription/", {"name": "A. B.", "email": "AB@exemple.fr"})
    assert response.status_code == 302
    assert event.registrations.get().status == RegistrationStatus.CONFIRMED
