"""The board's pages without JavaScript (post, redirect, read) and the JSON its script gets."""

import re

import pytest
from django.urls import reverse

from catalyse.accounts.tests.factories import UserFactory
from catalyse.workshops import services
from catalyse.workshops.models import Card, Participant

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    return factories.board(title="Outils numériques du territoire")


def _join(client, board, name="C.D."):
    return client.post(
        reverse("workshops:board_join", args=[board.code]), {"display_name": name, "show_as": "initials"}, follow=True
    )


def test_a_visitor_joins_with_the_code_and_initials_without_an_account_and_posts_a_card(client, board):
    found = client.get(reverse("workshops:join"), {"code": board.code.lower()})
    assert found.status_code == 302 and found.url == reverse("workshops:board", args=[board.code])

    page = _join(client, board)
    assert "Vous participez en tant que <strong>C.D.</strong>" in page.content.decode()
    column = board.columns.get(title="Besoins")
    page = client.post(
        reverse("workshops:card_new", args=[board.code]),
        {"text": "Savoir qui fait quoi <sur> le territoire", "column": column.pk},
        follow=True,
    )

    card = Card.objects.get(board=board)
    assert card.author.display_name == "C.D." and card.author.user is None
    assert f'id="carte-{card.number}"' in page.content.decode()
    assert "Savoir qui fait quoi &lt;sur&gt; le territoire" in page.content.decode()


def test_an_unknown_code_says_so(client):
    page = client.get(reverse("workshops:join"), {"code": "XXXXXX"})
    assert page.status_code == 200
    assert "Aucun tableau n&#x27;a ce code" in page.content.decode()


def test_writing_without_joining_is_refused_with_a_message(client, board):
    response = client.post(
        reverse("workshops:card_new", args=[board.code]),
        {"text": "Anonyme", "column": board.columns.first().pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Rejoignez d'abord le tableau avec votre nom ou vos initiales."}
    assert not Card.objects.exists()


def test_a_forged_participant_cookie_is_ignored(client, board):
    participant = factories.participant(board)
    client.cookies[f"atelier_{board.code}"] = participant.token  # unsigned
    response = client.post(
        reverse("workshops:card_new", args=[board.code]),
        {"text": "Usurpée", "column": board.columns.first().pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403


def test_the_script_gets_a_clear_409_on_a_closed_board(client, board):
    _join(client, board)
    services.board_close(board)
    response = client.post(
        reverse("workshops:card_new", args=[board.code]),
        {"text": "Trop tard", "column": board.columns.first().pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Ce tableau est clos")
    page = client.get(reverse("workshops:board", args=[board.code]))
    assert "Ajouter la carte" not in page.content.decode()


def test_a_signed_in_person_joining_is_linked_to_their_account(client, board):
    person = UserFactory()
    client.force_login(person)
    _join(client, board, "E.F.")
    assert Participant.objects.get(board=board).user == person


def test_only_the_board_facilitators_use_the_facilitator_tools(client, board):
    author = factories.participant(board)
    card = services.card_create(participant=author, text="À épingler")
    url = reverse("workshops:card_pin", args=[board.code, card.number])

    assert client.post(url).status_code == 302  # to sign in
    client.force_login(UserFactory())
    assert client.post(url).status_code == 403
    assert "Animer le tableau" not in client.get(reverse("workshops:board", args=[board.code])).content.decode()
    client.force_login(board.created_by)
    page = client.get(reverse("workshops:board", args=[board.code])).content.decode()
    assert "Animer le tableau" in page and reverse("syntheses:edit", args=[board.pk]) in page
    client.post(url)
    card.refresh_from_db()
    assert card.pinned


def test_a_facilitator_merges_two_cards_by_number(client, board):
    a, b = factories.participant(board, "AA"), factories.participant(board, "BB")
    keep = services.card_create(participant=a, text="Carte des acteurs")
    other = services.card_create(participant=b, text="Annuaire")
    services.vote_add(participant=b, card=other)
    client.force_login(board.created_by)

    client.post(reverse("workshops:merge", args=[board.code]), {"keep": keep.number, "merge": other.number})

    assert keep.votes.count() == 1 and list(keep.coauthors.all()) == [b]


@pytest.mark.parametrize("typed", ["B{keep}/B{other}", "b{keep}/ b {other} ", "{keep}/#{other}"])
def test_a_facilitator_merges_two_cards_by_their_references_on_the_board(client, board, typed):
    a, b = factories.participant(board, "AA"), factories.participant(board, "BB")
    ideas = board.columns.all()[1]  # the cards read B1, B2
    keep = services.card_create(participant=a, text="Carte des acteurs", column=ideas)
    other = services.card_create(participant=b, text="Annuaire", column=ideas)
    services.vote_add(participant=b, card=other)
    client.force_login(board.created_by)
    refs = typed.format(keep=keep.number, other=other.number).split("/")

    url = reverse("workshops:merge", args=[board.code])
    response = client.post(url, {"keep": refs[0], "merge": refs[1]}, follow=True)

    assert f"Cartes fusionnées : votes et auteurs réunis sur la carte B{keep.number}." in response.content.decode()
    assert keep.votes.count() == 1 and list(keep.coauthors.all()) == [b]


@pytest.mark.parametrize(
    ("keep", "merge", "error"),
    [
        ("A1", "c 99", "Ce tableau n'a pas de carte C99."),
        (
            "A1",
            "carte 2",
            "« carte 2 » n'est pas une référence de carte : écrivez-la comme sur le tableau, par exemple B3.",
        ),
        ("", "B2", "Indiquez la référence de la carte gardée, par exemple B3."),
    ],
)
def test_the_merge_form_names_a_reference_it_does_not_know_and_merges_nothing(client, board, keep, merge, error):
    author = factories.participant(board)
    for text in ("Carte des acteurs", "Annuaire"):
        services.card_create(participant=author, text=text)
    client.force_login(board.created_by)

    response = client.post(
        reverse("workshops:merge", args=[board.code]), {"keep": keep, "merge": merge}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 400 and response.json() == {"detail": error}
    assert not Card.objects.exclude(merged_into=None).exists()


def test_the_merge_form_asks_for_references_as_the_board_shows_them(client, board):
    client.force_login(board.created_by)
    page = client.get(reverse("workshops:board", args=[board.code])).content.decode()
    assert "n°" not in page
    assert '<input type="text" name="keep"' in page and '<input type="text" name="merge"' in page
    assert "Leurs références affichées sur le tableau, par exemple B3 et C5." in page


def test_a_member_creates_a_board_with_custom_columns(client):
    client.force_login(UserFactory())
    response = client.post(reverse("workshops:new"), {"title": "Rétrospective", "columns": "Irritants\nIdées"})
    board = services.Board.objects.get(title="Rétrospective")
    assert response.url == reverse("workshops:board", args=[board.code])
    assert [c.title for c in board.columns.all()] == ["Irritants", "Idées"]


def test_the_changes_endpoint_renders_new_cards_and_votes_for_the_script(client, board):
    _join(client, board)
    me = Participant.objects.get(board=board)
    since = board.version
    other = factories.participant(board, "ZZ")
    card = services.card_create(participant=other, text="Mesurer l'impact")
    services.vote_add(participant=me, card=card)

    data = client.get(reverse("workshops:changes", args=[board.code]), {"since": since}).json()

    assert data["version"] > since and [c["number"] for c in data["cards"]] == [card.number]
    assert "1 vote" in data["cards"][0]["html"] and "Retirer mon +1" in data["cards"][0]["html"]
    assert client.get(reverse("workshops:changes", args=[board.code]), {"since": "x"}).status_code == 400


def test_a_join_past_the_limit_shows_the_board_again_with_the_name_typed_and_why(client, board, monkeypatch, clock):
    monkeypatch.setattr(services, "JOINS_PER_ADDRESS", 1)
    _join(client, board, "A.A.")
    client.cookies.clear()  # another person behind the same address

    page = client.post(
        reverse("workshops:board_join", args=[board.code]),
        {"display_name": "B.B.", "organisation_label": "Mairie de Loos", "show_as": "organisation"},
    )

    assert page.status_code == 429 and page["Retry-After"] == "100"
    html = page.content.decode()
    assert "Trop de personnes ont rejoint ce tableau depuis votre connexion : réessayez dans 2 minutes" in html
    assert 'value="B.B."' in html and 'value="Mairie de Loos"' in html
    assert re.search(r'value="organisation"[^>]* checked', html)
    assert list(board.participants.values_list("display_name", flat=True)) == ["A.A."]
