"""The e-mails of registrations and the personal link they carry: a person registered without an account sees
their registration, changes their public-name choice and cancels; a promotion is e-mailed whatever freed the
place; the registration form tells nobody whether an address was registered, and is limited per IP."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from catalyse.accounts.models import AuditEntry
from catalyse.accounts.tests.factories import UserFactory
from catalyse.events import services
from catalyse.events.links import registration_token, registration_url
from catalyse.events.models import Registration, RegistrationStatus

from .factories import EventFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db
CONFIRMED, WAITING, CANCELLED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING, RegistrationStatus.CANCELLED


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the e-mails) when the block ends, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def register(event, n: int, **kwargs) -> Registration:
    return services.registration_create(event=event, name=f"P{n}", email=f"p{n}@exemple.fr", **kwargs)


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/evenements/\S+/inscription/\S+/)", message.body).group(1)


def test_registering_emails_the_place_the_times_in_paris_the_ics_and_the_personal_link(sent):
    event = EventFactory(title="Rencontre d'été", slug="rencontre-ete", starts_at=in_days(10, 9), capacity=5)
    with sent():
        registration = register(event, 0)
    [message] = mail.outbox
    assert message.to == ["p0@exemple.fr"] and message.subject == "Inscription confirmée : Rencontre d'été"
    assert "Vous êtes inscrit·e à « Rencontre d'été »" in message.body  # plain text: nothing HTML-escaped
    assert "9h00" in message.body and "(heure de Paris)" in message.body  # in_days(…, 9) is 9:00 in Paris
    assert "http://localhost:8000/evenements/rencontre-ete.ics" in message.body
    assert link_in(message) == registration_url(registration)


def test_a_registration_rolled_back_sends_nothing(sent):
    event = EventFactory()
    with sent(), pytest.raises(RuntimeError), transaction.atomic():
        register(event, 0)
        raise RuntimeError("something later in the same transaction failed")
    assert mail.outbox == [] and not event.registrations.exists()


def test_the_waiting_list_email_gives_the_position(sent):
    event = EventFactory(capacity=1)
    with sent():
        for n in range(3):
            register(event, n)
    assert mail.outbox[2].subject.startswith("Liste d'attente")
    assert "sur liste d'attente (position 2)" in mail.outbox[2].body


@pytest.mark.parametrize("cause", ["cancelled by the person", "cancelled by an organiser", "more places"])
def test_the_person_promoted_is_emailed_whatever_freed_the_place(sent, cause, animator):
    event = EventFactory(capacity=1)
    person = UserFactory()
    first = register(event, 0, user=person)
    waiting = register(event, 1)
    with sent():
        if cause == "cancelled by the person":
            services.registration_cancel(first, actor=person)
        elif cause == "cancelled by an organiser":
            services.registration_cancel(first, actor=animator)
        else:
            services.event_update(event, actor=animator, capacity=2)
    [message] = mail.outbox
    assert message.to == [waiting.email] and message.subject.startswith("Une place s'est libérée")
    assert "vous êtes maintenant inscrit·e" in message.body and link_in(message) == registration_url(waiting)


def test_the_link_page_shows_the_persons_own_registration_and_nobody_elses(client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, name="Autre Personne", email="autre@exemple.fr", status=CONFIRMED)
    mine = register(event, 1)
    response = client.get(registration_url(mine))
    page = response.content.decode()
    assert response.status_code == 200 and "liste d'attente (position 1)" in page
    assert "p1@exemple.fr" in page and "Autre Personne" not in page and "autre@exemple.fr" not in page
    assert response["Cache-Control"] == "private, no-store" and response["Referrer-Policy"] == "same-origin"


def test_the_public_name_choice_is_withdrawn_and_given_again_without_losing_the_place(client):
    event = EventFactory(capacity=1)
    mine = register(event, 0, public_name=True)
    assert "P0" in client.get(event.get_absolute_url()).content.decode()
    response = client.post(registration_url(mine), {"action": "nom"}, follow=True)  # the box unticked
    assert "Votre nom ne paraît pas" in response.content.decode()
    mine.refresh_from_db()
    assert (mine.public_name, mine.status, mine.position) == (False, CONFIRMED, 1)
    assert "P0" not in client.get(event.get_absolute_url()).content.decode()
    client.post(registration_url(mine), {"action": "nom", "public_name": "on"})
    mine.refresh_from_db()
    assert mine.public_name and mine.status == CONFIRMED
    changes = AuditEntry.objects.filter(object_id=str(mine.pk), changes__has_key="public_name")
    assert [e.changes["public_name"] for e in changes.order_by("pk")] == [[True, False], [False, True]]


def test_cancelling_through_the_link_frees_the_place_and_emails_the_next_person(client, sent):
    event = EventFactory(capacity=1)
    mine, waiting = register(event, 0), register(event, 1)
    with sent():
        response = client.post(registration_url(mine), {"action": "annuler"}, follow=True)
    assert "Votre inscription est annulée" in response.content.decode()
    mine.refresh_from_db(), waiting.refresh_from_db()
    assert (mine.status, waiting.status) == (CANCELLED, CONFIRMED)
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    assert AuditEntry.objects.filter(object_id=str(mine.pk), changes__status=[CONFIRMED, CANCELLED]).exists()


def test_a_finished_events_registration_cannot_be_cancelled(client):
    event = EventFactory(starts_at=in_days(-3), ends_at=in_days(-2))
    mine = RegistrationFactory(event=event, status=CONFIRMED)
    with pytest.raises(ValidationError):
        services.registration_cancel(mine)
    response = client.post(registration_url(mine), {"action": "annuler"}, follow=True)
    assert "ne peut plus être annulée" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == CONFIRMED


def test_bad_forged_and_revoked_links_get_the_same_french_404_telling_nothing(client):
    event = EventFactory(title="Rencontre secrète")
    mine, other = register(event, 0), register(event, 1)
    forged = f"{other.pk}:{registration_token(mine).split(':', 1)[1]}"  # someone else's id, my signature
    bad = [
        f"/evenements/{event.slug}/inscription/n-importe-quoi/",
        f"/evenements/{event.slug}/inscription/{mine.pk}:abc/",
        f"/evenements/{event.slug}/inscription/{forged}/",
        registration_url(mine).replace(event.slug, EventFactory().slug),  # another event's address
    ]
    pages = [client.get(url) for url in bad]
    assert {p.status_code for p in pages} == {404}
    texts = {re.sub(r"csrfmiddlewaretoken\" value=\"\w+", "", p.content.decode()) for p in pages}
    assert len(texts) == 1
    [text] = texts
    assert "Ce lien d'inscription n'est pas valable" in text
    assert not any(secret in text for secret in ("Rencontre secrète", "P0", "P1", "exemple.fr"))
    assert client.post(bad[2], {"action": "annuler"}).status_code == 404
    other.refresh_from_db()
    assert other.status == CONFIRMED


def test_erasing_the_person_revokes_their_link(client):
    person = UserFactory()
    event = EventFactory()
    mine = services.registration_create(event=event, user=person, name="Moi", email=person.email)
    url = registration_url(mine)
    services.registrations_erase(user=person)
    assert client.get(url).status_code == 404


def test_the_form_answers_the_same_whether_or_not_the_address_was_registered_and_reminds_its_owner(client, sent):
    event = EventFactory()
    form = {"name": "Quelqu'un", "email": "curieux@exemple.fr"}
    with sent():
        new = client.post(f"/evenements/{event.slug}/inscription/", form, follow=True)
    with sent():
        again = client.post(
            f"/evenements/{event.slug}/inscription/", {**form, "email": "CURIEUX@exemple.fr"}, follow=True
        )
    assert new.status_code == again.status_code == 200

    def message(response) -> str:
        return re.search(r'<div class="messages".*?</div>', response.content.decode(), re.S).group(0)

    assert message(new) == message(again) and "Cette adresse est déjà inscrite" not in again.content.decode()
    assert event.registrations.count() == 1
    first, reminder = mail.outbox
    assert reminder.to == ["curieux@exemple.fr"] and "Elle l'était déjà" in reminder.body
    assert link_in(reminder) == link_in(first)


def test_reminders_to_one_address_are_limited(client, sent, settings):
    settings.CATALYSE_EVENT_REMINDERS_PER_HOUR = 2
    event = EventFactory()
    register(event, 0)
    with sent():
        for _ in range(4):
            client.post(f"/evenements/{event.slug}/inscription/", {"name": "X", "email": "p0@exemple.fr"})
    assert len(mail.outbox) == 2


def test_registrations_are_limited_per_ip_with_a_french_message_and_the_input_kept(client, settings):
    settings.CATALYSE_EVENT_REGISTRATIONS_PER_IP = 2
    event = EventFactory()
    for n in range(2):
        client.post(f"/evenements/{event.slug}/inscription/", {"name": f"P{n}", "email": f"p{n}@exemple.fr"})
    response = client.post(
        f"/evenements/{event.slug}/inscription/", {"name": "Troisième", "email": "trois@exemple.fr"}
    )
    page = response.content.decode()
    assert response.status_code == 429 and "Trop d&#x27;inscriptions envoyées" in page
    assert 'value="Troisième"' in page and 'value="trois@exemple.fr"' in page
    assert event.registrations.count() == 2
