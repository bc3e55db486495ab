"""Creating and editing events with their programme: who may, the services' rules (times, rows, removals,
concurrent edits, audit) and the pages, which keep what was typed when something is wrong."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalyse.accounts.models import AuditEntry
from catalyse.actors.models import PublicationStatus
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.core.concurrency import ConflictError
from catalyse.events import services
from catalyse.events.models import Event, EventStatus, RegistrationStatus, Session, SessionKind
from catalyse.events.permissions import can_create_event, is_organiser
from catalyse.events.services import SessionRow

from .factories import EventFactory, RegistrationFactory, SessionFactory, in_days

pytestmark = pytest.mark.django_db


def local(days: float, hour: int, minute: int = 0) -> str:
    """A moment as <input type="datetime-local"> sends it (Europe/Paris)."""
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%Y-%m-%d") + f"T{hour:02d}:{minute:02d}"


@pytest.fixture
def event(org):
    """A published event `org` organises (its editor `owner` is an organiser), 9:00–17:00 in ten days."""
    return EventFactory(title="Rencontre du bocage", organiser=org, starts_at=in_days(10, 9), ends_at=in_days(10, 17))


def form_data(**changes) -> dict:
    data = {
        "kind": "rencontre",
        "title": "Rencontre des haies",
        "summary": "Une journée sur les haies.",
        "description": "Une **journée** d'échanges.",
        "starts_at": local(20, 9),
        "ends_at": local(20, 17),
        "address": "Salle des fêtes",
        "online_url": "",
        "capacity": "40",
        "organiser": "",
        "status": "published",
        "sessions_id": ["", ""],
        "sessions_title": ["Plénière d'ouverture", "Atelier haies"],
        "sessions_kind": ["pleniere", "atelier"],
        "sessions_starts_at": [local(20, 9), local(20, 11)],
        "sessions_ends_at": [local(20, 10), local(20, 12, 30)],
        "sessions_place": ["Amphithéâtre", "Salle B"],
        "sessions_description": ["", "On plante."],
        "sessions_speakers": ["", ""],
        "sessions_order": ["", ""],
    }
    return {**data, **changes}


def edit_data(event, **changes) -> dict:
    """What the edit form of `event` posts unchanged (its fields, its programme, its version)."""
    sessions = list(event.sessions.order_by("starts_at", "order", "pk"))

    def when(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")

    data = {
        "kind": event.kind,
        "title": event.title,
        "summary": event.summary,
        "description": event.description,
        "starts_at": when(event.starts_at),
        "ends_at": when(event.ends_at),
        "address": event.address,
        "online_url": event.online_url,
        "capacity": event.capacity or "",
        "organiser": event.organiser.name if event.organiser else "",
        "status": event.status,
        "version": event.version,
        "sessions_id": [s.pk for s in sessions],
        "sessions_title": [s.title for s in sessions],
        "sessions_kind": [s.kind for s in sessions],
        "sessions_starts_at": [when(s.starts_at) for s in sessions],
        "sessions_ends_at": [when(s.ends_at) for s in sessions],
        "sessions_place": [s.place for s in sessions],
        "sessions_description": [s.description for s in sessions],
        "sessions_speakers": ["; ".join(o.name for o in s.speakers.all()) for s in sessions],
        "sessions_order": [s.order for s in sessions],
    }
    return {**data, **changes}


# Who may -------------------------------------------------------------------------------------------------------


def test_only_animators_create_events(animator, owner, member, outsider):
    from django.contrib.auth.models import AnonymousUser

    assert can_create_event(animator)
    assert not any(can_create_event(user) for user in (owner, member, outsider, AnonymousUser()))


def test_organisers_are_the_creator_the_organising_editors_and_animators(event, owner, member, outsider, animator):
    created = EventFactory(created_by=outsider)
    assert is_organiser(owner, event) and is_organiser(animator, event) and is_organiser(outsider, created)
    assert not is_organiser(member, event) and not is_organiser(outsider, event)


# Services ------------------------------------------------------------------------------------------------------


def test_an_event_is_created_with_its_programme_and_every_write_is_audited(animator, org):
    before = AuditEntry.objects.count()
    event = services.event_create(
        title="Voyage d'étude",
        starts_at=in_days(5, 8),
        ends_at=in_days(6, 18),
        created_by=animator,
        sessions=[
            SessionRow(title="Visite", starts_at=in_days(5, 10), ends_at=in_days(5, 12), speakers=[org]),
            SessionRow(title="Bilan", kind=SessionKind.ROUND_TABLE, starts_at=in_days(6, 9), ends_at=in_days(6, 10)),
        ],
    )
    assert [s.title for s in event.sessions.order_by("starts_at")] == ["Visite", "Bilan"]
    assert list(event.sessions.get(title="Visite").speakers.all()) == [org]
    assert AuditEntry.objects.count() == before + 3 and event.version == 1


def test_a_session_outside_the_event_is_refused_with_a_clear_message_and_nothing_is_written(animator):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            title="Webinaire",
            starts_at=in_days(5, 9),
            ends_at=in_days(5, 10),
            created_by=animator,
            sessions=[SessionRow(title="Trop tard", starts_at=in_days(5, 11), ends_at=in_days(5, 12))],
        )
    assert "Séance « Trop tard » : La séance doit se tenir pendant l'événement (du " in error.value.messages[0]
    assert not Event.objects.filter(title="Webinaire").exists()


def test_an_event_ending_before_it_starts_is_refused(animator, event):
    with pytest.raises(ValidationError) as error:
        services.event_create(title="À l'envers", starts_at=in_days(5, 10), ends_at=in_days(5, 9))
    assert error.value.message_dict == {"ends_at": ["La fin de l'événement précède son début."]}
    with pytest.raises(ValidationError):
        services.event_update(event, actor=animator, ends_at=event.starts_at - datetime.timedelta(hours=1))


def test_moving_the_event_away_from_its_sessions_is_refused(event, owner):
    SessionFactory(event=event, title="Plénière", starts_at=in_days(10, 9), ends_at=in_days(10, 10))
    with pytest.raises(ValidationError) as error:
        services.event_update(Event.objects.get(pk=event.pk), actor=owner, starts_at=in_days(10, 14))
    assert "« Plénière » sortirait des dates de l'événement" in error.value.messages[0]
    event.refresh_from_db()
    assert event.starts_at == in_days(10, 9)


def test_an_edit_from_an_older_version_is_a_conflict(event, owner):
    services.event_update(Event.objects.get(pk=event.pk), actor=owner, expected_version=1, title="Premier")
    with pytest.raises(ConflictError):
        services.event_update(Event.objects.get(pk=event.pk), actor=owner, expected_version=1, title="Second")
    event.refresh_from_db()
    assert (event.title, event.version) == ("Premier", 2)


def test_the_programme_is_changed_added_to_and_removed_from_in_one_go(event, owner):
    kept = SessionFactory(event=event, title="Plénière", kind=SessionKind.PLENARY)
    removed = SessionFactory(event=event, title="À retirer")
    untouched = SessionFactory(event=event, title="Inchangée", starts_at=in_days(10, 14), ends_at=in_days(10, 15))
    audited = AuditEntry.objects.count()
    services.programme_save(
        event,
        actor=owner,
        rows=[
            SessionRow(id=kept.pk, title="Plénière d'ouverture", starts_at=kept.starts_at, ends_at=kept.ends_at),
            SessionRow(id=untouched.pk, title="Inchangée", kind=SessionKind.WORKSHOP, starts_at=untouched.starts_at,
                       ends_at=untouched.ends_at),
            SessionRow(title="Nouvelle", starts_at=in_days(10, 16), ends_at=in_days(10, 17)),
        ],
        remove=[removed.pk],
    )
    assert sorted(event.sessions.values_list("title", flat=True)) == ["Inchangée", "Nouvelle", "Plénière d'ouverture"]
    assert AuditEntry.objects.count() == audited + 3  # changed, added, removed; the untouched row writes nothing


def test_a_session_people_chose_stays_on_the_programme(event, owner):
    group = SessionFactory(event=event, title="Groupe bleu")
    RegistrationFactory(event=event, session=group, status=RegistrationStatus.CONFIRMED)
    with pytest.raises(ValidationError) as error:
        services.programme_save(event, actor=owner, rows=[], remove=[group.pk])
    assert "« Groupe bleu » reste au programme" in error.value.messages[0]
    assert Session.objects.filter(pk=group.pk).exists()


def test_a_row_cannot_change_another_events_session(event, owner):
    other = SessionFactory(title="Ailleurs")
    with pytest.raises(ValidationError) as error:
        services.programme_save(
            event, actor=owner, rows=[SessionRow(id=other.pk, title="Détournée", starts_at=event.starts_at,
                                                 ends_at=event.starts_at)]
        )
    assert "n'appartient pas à cet événement" in error.value.messages[0]
    other.refresh_from_db()
    assert other.title == "Ailleurs"


# Pages ---------------------------------------------------------------------------------------------------------


def test_the_list_offers_adding_an_event_to_animators_only(client, animator, owner):
    assert "/evenements/ajouter/" not in client.get("/evenements/").content.decode()
    client.force_login(owner)
    assert "/evenements/ajouter/" not in client.get("/evenements/").content.decode()
    client.force_login(animator)
    assert 'href="/evenements/ajouter/"' in client.get("/evenements/").content.decode()


def test_the_creation_page_is_for_animators(client, owner, member):
    response = client.get("/evenements/ajouter/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    for user in (owner, member):
        client.force_login(user)
        assert client.get("/evenements/ajouter/").status_code == 403
        assert client.post("/evenements/ajouter/", form_data()).status_code == 403
    assert not Event.objects.filter(title="Rencontre des haies").exists()


def test_an_animator_creates_an_event_with_two_programme_rows(client, animator, org):
    client.force_login(animator)
    assert client.get("/evenements/ajouter/").status_code == 200
    response = client.post("/evenements/ajouter/", form_data(organiser=org.name), follow=True)
    event = Event.objects.get(title="Rencontre des haies")
    assert response.redirect_chain[-1][0] == event.get_absolute_url()
    assert (event.organiser, event.capacity, event.status, event.created_by) == (
        org, 40, EventStatus.PUBLISHED, animator)
    assert timezone.localtime(event.starts_at).hour == 9  # typed in Paris time
    assert [(s.title, s.place) for s in event.sessions.order_by("starts_at")] == [
        ("Plénière d'ouverture", "Amphithéâtre"), ("Atelier haies", "Salle B")]
    assert "Rencontre des haies" in client.get("/evenements/").content.decode()


def test_a_session_outside_the_event_keeps_everything_typed_and_says_which_row(client, animator):
    client.force_login(animator)
    data = form_data(sessions_starts_at=[local(20, 9), local(21, 11)], sessions_ends_at=[local(20, 10), local(21, 12)])
    response = client.post("/evenements/ajouter/", data)
    page = response.content.decode()
    assert response.status_code == 400 and not Event.objects.filter(title="Rencontre des haies").exists()
    assert "« Atelier haies » : La séance doit se tenir pendant l&#x27;événement" in page
    assert 'value="Rencontre des haies"' in page and 'value="Atelier haies"' in page and "On plante." in page
    assert f'value="{local(21, 11)}"' in page


def test_bad_times_are_named_in_french_and_the_input_stays(client, animator):
    client.force_login(animator)
    data = form_data(ends_at=local(19, 9), sessions_ends_at=[local(20, 8), "demain"])
    page = client.post("/evenements/ajouter/", data).content.decode()
    assert "La fin de l&#x27;événement précède son début." in page
    assert "Séance 1 : la fin précède le début." in page
    assert "Séance 2 : la fin manque ou n&#x27;est pas une date et une heure." in page
    assert 'value="demain"' in page and 'value="Plénière d&#x27;ouverture"' in page


def test_an_unknown_speaker_is_refused_by_name(client, animator):
    OrganisationFactory(name="Collectif des haies", status=PublicationStatus.PUBLISHED)
    client.force_login(animator)
    data = form_data(sessions_speakers=["collectif des HAIES", "Inconnue SARL"])
    page = client.post("/evenements/ajouter/", data).content.decode()
    assert "Séance 2 : « Inconnue SARL » n&#x27;est pas dans l&#x27;annuaire." in page
    client.post("/evenements/ajouter/", form_data(sessions_speakers=["collectif des HAIES", ""]))
    assert [o.name for o in Session.objects.get(title="Plénière d'ouverture").speakers.all()] == [
        "Collectif des haies"]


def test_adding_a_row_shows_the_form_again_with_one_more_row_and_saves_nothing(client, animator):
    client.force_login(animator)
    response = client.post("/evenements/ajouter/", {**form_data(), "more_rows": "sessions"})
    page = response.content.decode()
    assert response.status_code == 200 and not Event.objects.exists()
    # the two rows typed, the blank one always offered, and the one asked for
    assert page.count('name="sessions_title"') == 4 and 'value="Atelier haies"' in page


def test_the_edit_page_is_for_the_organisers(client, event, member, outsider, owner, animator):
    draft = EventFactory(organiser=event.organiser, status=EventStatus.DRAFT)
    response = client.get(f"/evenements/{event.slug}/modifier/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    for user in (member, outsider):
        client.force_login(user)
        assert client.get(f"/evenements/{event.slug}/modifier/").status_code == 403
        assert client.post(f"/evenements/{event.slug}/modifier/", edit_data(event, title="Pris")).status_code == 403
        assert client.get(f"/evenements/{draft.slug}/modifier/").status_code == 404  # a draft is not revealed
    for user in (owner, animator):
        client.force_login(user)
        assert client.get(f"/evenements/{event.slug}/modifier/").status_code == 200
    event.refresh_from_db()
    assert event.title == "Rencontre du bocage"


def test_organisers_see_a_modify_link_on_the_event_page(client, event, member, owner):
    client.force_login(member)
    assert f"/evenements/{event.slug}/modifier/" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(owner)
    assert f'href="/evenements/{event.slug}/modifier/"' in client.get(event.get_absolute_url()).content.decode()


def test_an_organiser_edits_the_event_and_its_programme(client, event, owner):
    plenary = SessionFactory(event=event, title="Plénière", kind=SessionKind.PLENARY, place="Amphi")
    gone = SessionFactory(event=event, title="Atelier annulé", starts_at=in_days(10, 14), ends_at=in_days(10, 15))
    client.force_login(owner)
    page = client.get(f"/evenements/{event.slug}/modifier/").content.decode()
    assert 'value="Plénière"' in page and 'value="Amphi"' in page and f'value="{event.version}"' in page
    data = edit_data(event, title="Rencontre des bocages", capacity="3", sessions_remove=[str(gone.pk)])
    data["sessions_place"] = ["Grande salle", ""]
    data["sessions_id"].append("")
    data["sessions_title"].append("Clôture")
    data["sessions_kind"].append("pleniere")
    data["sessions_starts_at"].append(local(10, 16))
    data["sessions_ends_at"].append(local(10, 17))
    for column in ("place", "description", "speakers", "order"):
        data[f"sessions_{column}"].append("")
    response = client.post(f"/evenements/{event.slug}/modifier/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    plenary.refresh_from_db()
    assert (event.title, event.capacity, event.version) == ("Rencontre des bocages", 3, 2)
    assert plenary.place == "Grande salle"
    assert sorted(event.sessions.values_list("title", flat=True)) == ["Clôture", "Plénière"]


def test_a_concurrent_edit_gets_a_conflict_that_keeps_the_input(client, event, owner, animator):
    client.force_login(owner)
    data = edit_data(event, title="Ma version")
    services.event_update(Event.objects.get(pk=event.pk), actor=animator, expected_version=1, title="Sa version")
    response = client.post(f"/evenements/{event.slug}/modifier/", data)
    page = response.content.decode()
    assert response.status_code == 409 and "Quelqu&#x27;un a modifié cet événement" in page
    assert 'value="Ma version"' in page and 'name="version" value="2"' in page
    event.refresh_from_db()
    assert event.title == "Sa version"
    assert client.post(f"/evenements/{event.slug}/modifier/", {**data, "version": 2}).status_code == 302
    event.refresh_from_db()
    assert event.title == "Ma version"


def test_a_form_without_its_version_is_a_conflict_not_an_overwrite(client, event, owner):
    client.force_login(owner)
    data = edit_data(event, title="Sans version")
    del data["version"]
    assert client.post(f"/evenements/{event.slug}/modifier/", data).status_code == 409
    event.refresh_from_db()
    assert event.title == "Rencontre du bocage"
