"""Boards in an event's programme: attached to an event and a session when created or in their settings, run by
the event's organisers too, and listed under their session on the event's page.

People (catalyse/conftest.py): `owner` edits `org`, which organises the event; `member` belongs to `org` without
editing it; `outsider` has an account and nothing else."""

import pytest
from django.urls import reverse

from catalyse.accounts.models import AuditEntry
from catalyse.core import permissions
from catalyse.events.models import SessionKind
from catalyse.events.tests.factories import EventFactory, SessionFactory
from catalyse.workshops import services
from catalyse.workshops.models import Board, Synthesis

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org):
    return EventFactory(title="Rencontre du bocage", organiser=org)


@pytest.fixture
def session(event):
    return SessionFactory(event=event, title="Atelier haies")


@pytest.fixture
def board(event, session):
    """A board of the event created by someone who is not among its organisers."""
    return factories.board(title="Planter des haies", event=event, session=session)


def _new(client, **data):
    return client.post(reverse("workshops:new"), {"title": "Rétrospective", "columns": "Idées", **data})


# --- Organisers facilitate the boards of their event -----------------------------------------------------------


def test_the_event_organisers_facilitate_its_boards_and_other_people_do_not(board, owner, member, outsider):
    assert permissions.can_edit(owner, board)
    assert "facilitator" in permissions.roles_of(owner, board)
    assert not permissions.can_edit(member, board) and not permissions.can_edit(outsider, board)
    other_board = factories.board(title="Hors événement")
    assert not permissions.can_edit(owner, other_board)


def test_an_organiser_pins_merges_and_closes_a_board_someone_else_created(client, board, owner):
    a, b = factories.participant(board, "AA"), factories.participant(board, "BB")
    keep = services.card_create(participant=a, text="Des haies champêtres")
    other = services.card_create(participant=b, text="Des haies mélangées")
    client.force_login(owner)

    page = client.get(reverse("workshops:board", args=[board.code])).content.decode()
    assert "Animer le tableau" in page and reverse("workshops:settings", args=[board.code]) in page
    client.post(reverse("workshops:card_pin", args=[board.code, keep.number]))
    client.post(reverse("workshops:merge", args=[board.code]), {"keep": keep.number, "merge": other.number})
    client.post(reverse("workshops:close", args=[board.code]))

    keep.refresh_from_db(), other.refresh_from_db(), board.refresh_from_db()
    assert keep.pinned and other.merged_into == keep and not board.is_open


def test_a_signed_in_person_who_does_not_organise_the_event_cannot_run_its_boards(client, board, member):
    author = factories.participant(board)
    card = services.card_create(participant=author, text="À épingler")
    client.force_login(member)

    pin = client.post(reverse("workshops:card_pin", args=[board.code, card.number]))
    merge = client.post(reverse("workshops:merge", args=[board.code]), {"keep": card.number, "merge": card.number})
    close = client.post(reverse("workshops:close", args=[board.code]))

    assert (pin.status_code, merge.status_code, close.status_code) == (403, 403, 403)
    card.refresh_from_db(), board.refresh_from_db()
    assert not card.pinned and board.is_open


def test_organisers_read_the_draft_synthesis_of_their_events_boards(board, owner, member):
    synthesis = Synthesis.objects.create(board=board, question="Que planter ?")
    visible_to = lambda user: permissions.visible_queryset(user, Synthesis.objects.all())  # noqa: E731
    assert list(visible_to(owner)) == [synthesis]
    assert not visible_to(member).exists()


# --- Attaching a board to an event and a session --------------------------------------------------------------


def test_an_organiser_creates_a_board_for_a_session_of_their_event(client, event, session, owner):
    client.force_login(owner)
    response = _new(client, event=event.pk, session=session.pk)

    board = Board.objects.get(title="Rétrospective")
    assert response.url == reverse("workshops:board", args=[board.code])
    assert (board.event, board.session) == (event, session)
    assert permissions.can_edit(owner, board)


def test_a_session_alone_brings_its_event(client, event, session, owner):
    client.force_login(owner)
    _new(client, session=session.pk)
    assert Board.objects.get(title="Rétrospective").event == event


def test_the_form_offers_only_the_events_the_person_organises_and_their_sessions(client, event, session, owner):
    other = SessionFactory(title="Atelier d'ailleurs")
    client.force_login(owner)
    page = client.get(reverse("workshops:new")).content.decode()
    assert "Rencontre du bocage — Atelier haies" in page and f'<optgroup label="{event.title}">' in page
    assert other.event.title not in page

    refused = _new(client, event=other.event.pk, session=other.pk)

    assert refused.status_code == 200 and not Board.objects.filter(title="Rétrospective").exists()
    assert "Sélectionnez un choix valide" in refused.content.decode()


def test_a_session_of_another_event_is_refused_with_a_clear_message_and_the_input_stays(client, event, owner):
    second = EventFactory(title="Rencontre des mares", organiser=event.organiser)
    elsewhere = SessionFactory(event=second, title="Atelier mares")
    client.force_login(owner)

    page = _new(client, event=event.pk, session=elsewhere.pk, group_name="Groupe bleu")

    assert page.status_code == 200 and not Board.objects.exists()
    html = page.content.decode()
    assert "La séquence « Atelier mares » appartient à un autre événement" in html
    assert 'value="Groupe bleu"' in html and 'value="Rétrospective"' in html


def test_the_creation_page_is_prefilled_from_a_session_or_an_event(client, event, session, owner, outsider):
    client.force_login(owner)
    by_session = client.get(reverse("workshops:new"), {"session": session.pk}).context["form"]
    by_event = client.get(reverse("workshops:new"), {"evenement": event.slug}).context["form"]
    assert (by_session["event"].value(), by_session["session"].value()) == (event.pk, session.pk)
    assert (by_event["event"].value(), by_event["session"].value()) == (event.pk, None)

    client.force_login(outsider)  # not their event: nothing preselected, nothing revealed
    form = client.get(reverse("workshops:new"), {"session": session.pk, "evenement": event.slug}).context["form"]
    assert (form["event"].value(), form["session"].value()) == (None, None)
    assert event.title not in str(form)


def test_a_facilitator_moves_their_board_to_a_session_of_the_event_and_it_is_audited(client, owner, event, session):
    board = factories.board(title="Haies", facilitator=owner)
    url = reverse("workshops:settings", args=[board.code])
    client.force_login(owner)
    assert client.get(url).status_code == 200

    response = client.post(url, {"title": "Haies bocagères", "group_name": "Bleu", "session": session.pk})

    assert response.url == reverse("workshops:board", args=[board.code])
    board.refresh_from_db()
    assert (board.title, board.group_name, board.event, board.session) == ("Haies bocagères", "Bleu", event, session)
    entry = AuditEntry.objects.filter(object_id=str(board.pk), action="update").latest("pk")
    assert entry.actor == owner
    assert entry.changes["session"] == [None, "Atelier haies"]
    assert entry.changes["title"] == ["Haies", "Haies bocagères"]


def test_a_closed_board_can_still_be_attached_to_its_event(client, owner, event):
    board = factories.board(title="Haies", facilitator=owner)
    services.board_close(board)
    client.force_login(owner)
    client.post(reverse("workshops:settings", args=[board.code]), {"title": "Haies", "event": event.pk})
    board.refresh_from_db()
    assert board.event == event and not board.is_open


def test_a_facilitator_who_does_not_organise_the_event_keeps_it_on_their_board(client, board):
    client.force_login(board.created_by)
    form = client.get(reverse("workshops:settings", args=[board.code])).context["form"]
    assert (form["event"].value(), form["session"].value()) == (board.event_id, board.session_id)

    client.post(reverse("workshops:settings", args=[board.code]), {"title": "Autre sujet", "session": board.session_id})

    board.refresh_from_db()
    assert (board.title, board.event_id) == ("Autre sujet", board.session.event_id)


def test_only_facilitators_open_the_settings(client, board, member):
    url = reverse("workshops:settings", args=[board.code])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Détourné"}).status_code == 403
    board.refresh_from_db()
    assert board.title == "Planter des haies"


# --- The event's page -------------------------------------------------------------------------------------------


def test_the_event_page_lists_each_sessions_boards_and_offers_organisers_to_create_one(
    client, event, session, board, owner, member
):
    loose = factories.board(title="Tableau de la journée", event=event)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("workshops:board", args=[board.code]) in page and "Planter des haies" in page
    assert reverse("workshops:board", args=[loose.code]) in page
    assert "Créer un tableau d&#x27;atelier" not in page

    client.force_login(member)
    assert "Créer un tableau d&#x27;atelier" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(owner)
    page = client.get(event.get_absolute_url()).content.decode()
    assert f"{reverse('workshops:new')}?evenement={event.slug}" in page
    assert f"{reverse('workshops:new')}?session={session.pk}" in page
    plenary = SessionFactory(event=event, kind=SessionKind.PLENARY)  # a board for it: from the event's link
    assert f"?session={plenary.pk}" not in client.get(event.get_absolute_url()).content.decode()


def test_the_board_links_its_event_for_those_who_see_it_and_the_synthesis_once_there_is_one(client, board, event,
                                                                                           owner):
    from catalyse.events.models import EventStatus
    from catalyse.workshops.services_synthesis import ProposalInput, synthesis_save

    url, synthesis = reverse("workshops:board", args=[board.code]), reverse("syntheses:event", args=[event.slug])
    page = client.get(url).content.decode()
    assert f'href="{event.get_absolute_url()}"' in page and synthesis not in page  # nothing published to read
    synthesis_save(board=board, actor=owner, publish=True, proposals=[ProposalInput("Une haie par école")])
    assert synthesis in client.get(url).content.decode()

    event.status = EventStatus.DRAFT
    event.save()
    page = client.get(url).content.decode()  # a visitor: the draft event's page would be a 404
    assert event.get_absolute_url() not in page and synthesis not in page
    client.force_login(owner)
    assert f'href="{event.get_absolute_url()}"' in client.get(url).content.decode()
