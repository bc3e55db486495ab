"""+1 votes: one per participant and card, whatever the clicks, the channel or the timing; participants (each a
vote more) are minted from one address only as fast as a room joins."""

import threading

import pytest
from django.db import connection

from catalyse.workshops import services
from catalyse.workshops.models import Vote

from . import factories

pytestmark = pytest.mark.django_db


def test_a_second_vote_of_the_same_participant_is_not_counted():
    board = factories.board()
    alice, bruno = factories.participant(board, "AL"), factories.participant(board, "BR")
    card = services.card_create(participant=alice, text="Une carte des acteurs")

    assert services.vote_add(participant=bruno, card=card) is True
    assert services.vote_add(participant=bruno, card=card) is False
    assert services.vote_add(participant=alice, card=card) is True
    assert card.votes.count() == 2


def test_a_participant_withdraws_their_vote():
    board = factories.board()
    alice = factories.participant(board)
    card = services.card_create(participant=alice, text="Un wiki fermé")
    services.vote_add(participant=alice, card=card)

    assert services.vote_remove(participant=alice, card=card) is True
    assert services.vote_remove(participant=alice, card=card) is False
    assert card.votes.count() == 0


def test_a_vote_on_a_card_of_another_board_is_refused():
    card = services.card_create(participant=factories.participant(factories.board()), text="Ailleurs")
    stranger = factories.participant(factories.board(title="Autre atelier"))

    with pytest.raises(services.ValidationError):
        services.vote_add(participant=stranger, card=card)


def test_votes_past_the_rate_limit_are_refused_with_a_delay():
    board = factories.board()
    alice = factories.participant(board)
    cards = [services.card_create(participant=alice, text=f"Carte {i}") for i in range(3)]
    for card in cards[:2]:
        services.vote_add(participant=alice, card=card)

    services.VOTES_PER_MINUTE, limit = 2, services.VOTES_PER_MINUTE
    try:
        with pytest.raises(services.TooFast, match="réessayez dans"):
            services.vote_add(participant=alice, card=cards[2])
    finally:
        services.VOTES_PER_MINUTE = limit
    assert Vote.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_double_votes_count_once():
    board = factories.board()
    author = factories.participant(board, "AU")
    card = services.card_create(participant=author, text="Partager les résultats")
    voters = [factories.participant(board, f"P{i}") for i in range(4)]
    start = threading.Barrier(len(voters) * 2)
    results: list[bool] = []

    def vote(voter):
        try:
            start.wait(timeout=10)
            results.append(services.vote_add(participant=voter, card=card))
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(v,)) for v in voters for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)

    assert sorted(results) == [False] * 4 + [True] * 4
    assert card.votes.count() == 4


def test_a_room_of_120_behind_one_address_joins_and_the_next_join_waits(clock):
    # A conference Wi-Fi puts a whole room behind one address; the benchmark's room (60 people, 127.0.0.1) fits
    # twice over. Joins from code (ip=None: the demo) are not counted.
    board = factories.board()
    for i in range(services.JOINS_PER_ADDRESS):
        factories.participant(board, f"P{i}", ip="198.51.100.1")

    with pytest.raises(services.TooFast, match="réessayez dans 2 minutes"):
        factories.participant(board, "Script", ip="198.51.100.1")

    factories.participant(board, "Démo")
    assert services.JOINS_PER_ADDRESS >= 2 * 60 and board.participants.count() == services.JOINS_PER_ADDRESS + 1
