"""The workshops API contract: join without an account, write cards and votes with the participant token,
clear refusals (403, 404, 409, 422, 429) and the changes feed."""

import pytest

from catalyse.workshops import services
from catalyse.workshops.api import WorkshopCardOut, WorkshopChangesOut

from . import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/workshops/boards"


@pytest.fixture
def board():
    return factories.board(title="Évaluer ensemble")


def _join(client, board, name="G.H."):
    response = client.post(f"{API}/{board.code}/participants", {"display_name": name}, content_type="application/json")
    assert response.status_code == 201, response.content
    return {"HTTP_X_PARTICIPANT_TOKEN": response.json()["token"]}


def test_a_participant_joins_writes_and_votes_through_the_api(client, board):
    me = _join(client, board)
    practices = board.columns.get(title="Pratiques")
    created = client.post(
        f"{API}/{board.code}/cards",
        {"text": "Un tableau partagé", "column": practices.pk},
        content_type="application/json",
        **me,
    )
    assert created.status_code == 201
    card = created.json()
    assert card["reference"] == f"B{card['number']}" and card["authors"] == ["G.H."]

    first = client.post(f"{API}/{board.code}/cards/{card['number']}/vote", **me).json()
    again = client.post(f"{API}/{board.code}/cards/{card['number']}/vote", **me).json()
    assert first == {"counted": True, "votes": 1} and again == {"counted": False, "votes": 1}

    changes = client.get(f"{API}/{board.code}/changes", {"since": 0}, **me).json()
    # The documented shape (the feed is written as plain JSON for speed)
    assert set(changes) == set(WorkshopChangesOut.model_fields)
    assert all(set(c) == set(WorkshopCardOut.model_fields) for c in changes["cards"])
    assert [(c["number"], c["votes"], c["voted"]) for c in changes["cards"]] == [(card["number"], 1, True)]
    assert [c["letter"] for c in changes["columns"]] == ["A", "B", "C"]
    assert client.get(f"{API}/{board.code}/changes", {"since": changes["version"]}).json()["cards"] == []


def test_a_poll_with_nothing_new_is_answered_by_one_query(client, board, django_assert_num_queries):
    me = _join(client, board)
    client.post(f"{API}/{board.code}/cards", {"text": "Une carte"}, content_type="application/json", **me)
    version = client.get(f"{API}/{board.code}/changes", {"since": 0}, **me).json()["version"]

    with django_assert_num_queries(1):
        nothing = client.get(f"{API}/{board.code}/changes", {"since": version}, **me).json()

    assert nothing == {"version": version, "status": "open", "columns": [], "cards": []}
    assert client.get(f"{API}/ZZZZZZ/changes", {"since": version}).json() == {"detail": "Aucun tableau n'a ce code."}


def test_a_poll_reads_the_cards_another_screen_has_built_from_the_cache(client, board, django_assert_num_queries):
    # A room of 60 screens asks for the same recent versions: after the first screen, a poll with news costs the
    # board's version, its columns, the changed cards' stamps and the asker's own votes — whatever their number.
    me, other = _join(client, board), _join(client, board, "I.J.")
    for i in range(5):
        client.post(f"{API}/{board.code}/cards", {"text": f"Carte {i}"}, content_type="application/json", **me)
    first = client.get(f"{API}/{board.code}/changes", {"since": 0}, **me).json()
    number = first["cards"][0]["number"]
    client.post(f"{API}/{board.code}/cards/{number}/vote", **other)
    client.get(f"{API}/{board.code}/changes", {"since": 0}, **me)  # the first screen to ask builds the voted card

    with django_assert_num_queries(4):
        seen = client.get(f"{API}/{board.code}/changes", {"since": 0}, **other).json()

    assert seen["version"] > first["version"] and len(seen["cards"]) == 5
    assert [(c["number"], c["votes"], c["voted"]) for c in seen["cards"] if c["votes"]] == [(number, 1, True)]
    assert [c["votes"] for c in first["cards"] if c["number"] == number] == [0]


def test_a_vote_is_a_few_statements_and_counts_once(client, board, django_assert_num_queries):
    me, other = _join(client, board), _join(client, board, "I.J.")
    number = client.post(
        f"{API}/{board.code}/cards", {"text": "Une carte"}, content_type="application/json", **me
    ).json()["number"]

    # The participant with its board, the card, then in one transaction (begin and end: 2): the version, the
    # vote (INSERT … ON CONFLICT DO NOTHING: no savepoint, no read first), the card's stamp, the audit entry;
    # then the count.
    with django_assert_num_queries(9):
        first = client.post(f"{API}/{board.code}/cards/{number}/vote", **other).json()
    again = client.post(f"{API}/{board.code}/cards/{number}/vote", **other).json()
    withdrawn = client.delete(f"{API}/{board.code}/cards/{number}/vote", **other).json()

    assert (first, again, withdrawn) == (
        {"counted": True, "votes": 1},
        {"counted": False, "votes": 1},
        {"counted": True, "votes": 0},
    )
    assert client.post(f"{API}/ZZZZZZ/cards/{number}/vote", **other).status_code == 404


def test_writes_without_a_valid_token_are_refused(client, board):
    response = client.post(
        f"{API}/{board.code}/cards",
        {"text": "Sans jeton"},
        content_type="application/json",
        HTTP_X_PARTICIPANT_TOKEN="faux",
    )
    assert response.status_code == 403
    assert "Jeton de participant" in response.json()["detail"]
    assert not board.cards.exists()


def test_a_closed_board_answers_409_with_its_message(client, board):
    me = _join(client, board)
    services.board_close(board)
    response = client.post(f"{API}/{board.code}/cards", {"text": "Trop tard"}, content_type="application/json", **me)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Ce tableau est clos : il n'accepte plus de cartes, de votes ni de participants."
    }


def test_bad_input_gets_a_4xx_and_a_readable_message(client, board):
    me = _join(client, board)
    too_long = client.post(f"{API}/{board.code}/cards", {"text": "x" * 501}, content_type="application/json", **me)
    assert too_long.status_code == 422 and "text" in too_long.json()["detail"]
    blank = client.post(f"{API}/{board.code}/cards", {"text": "   "}, content_type="application/json", **me)
    assert blank.status_code == 422 and blank.json()["detail"] == "Écrivez le texte de la carte."
    wrong_column = client.post(
        f"{API}/{board.code}/cards", {"text": "Ok", "column": 999999}, content_type="application/json", **me
    )
    assert wrong_column.status_code == 422
    assert client.post(f"{API}/{board.code}/cards/999/vote", **me).status_code == 404
    assert client.get(f"{API}/ZZZZZZ/changes").status_code == 404
    assert client.get(f"{API}/{board.code}/changes", {"since": 10**30}).status_code in (200, 422)


def test_card_creation_is_rate_limited_per_participant(client, board, monkeypatch):
    monkeypatch.setattr(services, "CARDS_PER_MINUTE", 2)
    me = _join(client, board)
    codes = [
        client.post(
            f"{API}/{board.code}/cards", {"text": f"Carte {i}"}, content_type="application/json", **me
        ).status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]
    assert board.cards.count() == 2


def test_boards_are_listed_with_a_count_and_described_with_their_columns(client, board):
    listing = client.get(f"{API}").json()
    assert listing["count"] == 1 and listing["items"][0]["code"] == board.code
    detail = client.get(f"{API}/{board.code.lower()}").json()
    assert [c["title"] for c in detail["columns"]] == ["Besoins", "Pratiques", "Ce que je ne referais pas"]


def test_joins_are_limited_per_address_and_board_with_a_french_429(client, board, monkeypatch, clock):
    monkeypatch.setattr(services, "JOINS_PER_ADDRESS", 2)

    def join(b, **address):
        return client.post(f"{API}/{b.code}/participants", {"display_name": "K.L."}, content_type="application/json",
                           **address)

    assert [join(board).status_code for _ in range(2)] == [201, 201]
    refused = join(board)

    assert refused.status_code == 429 and refused["Retry-After"] == "100"
    assert refused.json() == {
        "detail": "Trop de personnes ont rejoint ce tableau depuis votre connexion : réessayez dans 2 minutes, "
        "ou prévenez l'animateur."
    }
    assert board.participants.count() == 2
    assert join(board, REMOTE_ADDR="203.0.113.7").status_code == 201  # another address
    assert join(factories.board(title="Autre salle")).status_code == 201  # another board
