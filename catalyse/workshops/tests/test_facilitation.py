"""Facilitator tools: merge, move, pin, close; and what a closed board refuses."""

import pytest
from django.core.exceptions import ValidationError

from catalyse.workshops import queries, services
from catalyse.workshops.models import Card

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    return factories.board()


def test_merge_keeps_every_vote_once_per_participant_and_every_author(board):
    a, b, c, d = (factories.participant(board, n) for n in ("AA", "BB", "CC", "DD"))
    keep = services.card_create(participant=a, text="Une carte des acteurs")
    twin = services.card_create(participant=b, text="Cartographier qui fait quoi")
    third = services.card_create(participant=c, text="Un annuaire des acteurs")
    for voter in (c, d):
        services.vote_add(participant=voter, card=keep)
    for voter in (c, d, a):
        services.vote_add(participant=voter, card=twin)
    services.vote_add(participant=b, card=third)

    services.cards_merge(keep=keep, merge=[twin, third])

    assert sorted(keep.votes.values_list("participant__display_name", flat=True)) == ["AA", "BB", "CC", "DD"]
    assert {p.display_name for p in keep.coauthors.all()} == {"BB", "CC"}
    assert set(Card.objects.filter(merged_into=keep).values_list("number", flat=True)) == {twin.number, third.number}
    view = queries.board_view(board)
    assert [c.number for c in view.cards_by_column[keep.column_id]] == [keep.number]


def test_a_vote_on_a_merged_card_goes_to_the_card_it_was_merged_into(board):
    a, b = factories.participant(board, "AA"), factories.participant(board, "BB")
    keep = services.card_create(participant=a, text="Partager les résultats")
    twin = services.card_create(participant=a, text="Ouvrir les données")
    services.cards_merge(keep=keep, merge=[twin])

    services.vote_add(participant=b, card=twin)

    assert keep.votes.count() == 1


def assert_merges_end_on_visible_cards() -> None:
    """The invariant votes and reads rely on: a card's merged_into is a card that is not merged itself."""
    assert not Card.objects.filter(merged_into__merged_into__isnull=False).exists()


# Two facilitators read the board at the same time and each merges two cards; the second merge arrives with
# cards read before the first one (stale objects), as the view of the slower request holds them.
@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((5, 1), (1, 3)),  # the card kept by the second merge was merged meanwhile
        ((5, 3), (1, 3)),  # the card merged by the second merge was merged meanwhile
        ((1, 3), (3, 1)),  # the same pair, the other way round: the kept card was absorbed
    ],
    ids=["kept-card-merged", "merged-card-merged", "crossed"],
)
def test_a_merge_of_cards_merged_meanwhile_is_refused_and_changes_nothing(board, first, second):
    writer, voter = factories.participant(board, "AA"), factories.participant(board, "BB")
    cards = {n: services.card_create(participant=writer, text=f"Idée {n}") for n in range(1, 6)}
    services.vote_add(participant=voter, card=cards[3])
    stale = {n: Card.objects.get(pk=card.pk) for n, card in cards.items()}
    services.cards_merge(keep=cards[first[0]], merge=[cards[first[1]]])
    before = list(Card.objects.order_by("pk").values_list("pk", "merged_into_id", "changed_version"))
    votes_before = list(Card.objects.order_by("pk").values_list("pk", "votes__participant_id"))

    with pytest.raises(ValidationError, match="a déjà été fusionnée dans la carte A"):
        services.cards_merge(keep=stale[second[0]], merge=[stale[second[1]]])

    assert list(Card.objects.order_by("pk").values_list("pk", "merged_into_id", "changed_version")) == before
    assert list(Card.objects.order_by("pk").values_list("pk", "votes__participant_id")) == votes_before
    assert_merges_end_on_visible_cards()
    assert queries.vote_count(cards[3]) == 1  # the +1 still counts, on the card 3 is or was merged into


def test_merging_a_card_that_absorbed_others_moves_them_to_the_kept_card(board):
    writer = factories.participant(board, "AA")
    one, two, three = (services.card_create(participant=writer, text=f"Idée {n}") for n in range(1, 4))
    services.cards_merge(keep=two, merge=[three])
    services.cards_merge(keep=one, merge=[two])
    assert set(Card.objects.filter(merged_into=one).values_list("number", flat=True)) == {two.number, three.number}
    assert_merges_end_on_visible_cards()


def test_move_reorders_the_target_column_and_changes_the_reference_letter(board):
    author = factories.participant(board)
    needs, practices = board.columns.all()[:2]
    first = services.card_create(participant=author, text="Premier", column=practices)
    moved = services.card_create(participant=author, text="Second", column=needs)

    services.card_move(moved, column=practices.pk, position=0)

    view = queries.board_view(board)
    assert [(c.number, c.reference) for c in view.cards_by_column[practices.pk]] == [
        (moved.number, f"B{moved.number}"),
        (first.number, f"B{first.number}"),
    ]


def test_a_card_written_after_a_move_goes_last_in_its_column(board):
    author = factories.participant(board)
    needs, practices = board.columns.all()[:2]
    cards = [services.card_create(participant=author, text=f"Carte {i}", column=practices) for i in range(3)]
    services.card_move(cards[2], column=practices.pk, position=0)

    new = services.card_create(participant=author, text="Nouvelle", column=practices)

    view = queries.board_view(board)
    assert [c.number for c in view.cards_by_column[practices.pk]] == [
        cards[2].number,
        cards[0].number,
        cards[1].number,
        new.number,
    ]


def test_pinned_cards_come_first(board):
    author = factories.participant(board)
    services.card_create(participant=author, text="Ordinaire")
    pinned = services.card_pin(services.card_create(participant=author, text="Essentielle"))

    assert queries.board_view(board).cards_by_column[pinned.column_id][0].pk == pinned.pk


def test_a_closed_board_refuses_cards_votes_and_newcomers_with_a_clear_message(board):
    author = factories.participant(board)
    card = services.card_create(participant=author, text="Avant la clôture")
    services.board_close(board)
    message = "Ce tableau est clos : il n'accepte plus de cartes, de votes ni de participants."

    for write in (
        lambda: services.card_create(participant=author, text="Trop tard"),
        lambda: services.vote_add(participant=author, card=card),
        lambda: factories.participant(board, "ZZ"),
        lambda: services.card_pin(card),
    ):
        with pytest.raises(services.BoardClosed) as refused:
            write()
        assert refused.value.messages == [message]
    assert board.cards.count() == 1 and card.votes.count() == 0


def test_references_to_cards_become_links_and_the_rest_is_escaped(board):
    author = factories.participant(board)
    target = services.card_create(participant=author, text="Une carte des acteurs")
    numbers = {target.number: f"A{target.number}"}

    html = queries.card_html(f"Comme B{target.number} <b>mais</b> pas B99", numbers)

    assert html == (
        f'Comme <a href="#carte-{target.number}" class="card-ref">A{target.number}</a> &lt;b&gt;mais&lt;/b&gt; pas B99'
    )


def test_polling_returns_what_changed_since_a_version_and_nothing_more(board):
    a, b = factories.participant(board, "AA"), factories.participant(board, "BB")
    old = services.card_create(participant=a, text="Ancienne")
    seen = queries.board_changes(board, 0).version
    new = services.card_create(participant=b, text=f"Voir A{old.number}")
    services.vote_add(participant=b, card=old)

    changes = queries.board_changes(board, seen, participant=b)

    assert {c.number: (c.vote_count, c.voted) for c in changes.cards} == {old.number: (1, True), new.number: (0, False)}
    assert f'href="#carte-{old.number}"' in next(c.html for c in changes.cards if c.number == new.number)
    assert queries.board_changes(board, changes.version).cards == []


def test_a_poll_never_answers_a_version_past_writes_it_did_not_send(board, monkeypatch):
    a, b = factories.participant(board, "AA"), factories.participant(board, "BB")
    x = services.card_create(participant=a, text="X")
    build = queries._card_views
    written = []

    def writes_meanwhile(cards, letters):
        # Between the read of the changed cards' stamps and the building of X: a new card, and a vote that
        # makes X newer than its stamp.
        monkeypatch.setattr(queries, "_card_views", build)
        written.append(services.card_create(participant=b, text="Y"))
        services.vote_add(participant=b, card=x)
        return build(cards, letters)

    monkeypatch.setattr(queries, "_card_views", writes_meanwhile)
    first = queries.board_changes(board, 0)
    second = queries.board_changes(board, first.version)

    seen = {c.number for c in first.cards} | {c.number for c in second.cards}
    assert seen == {x.number, written[0].number}


def test_custom_columns(board):
    custom = factories.board(columns=["Irritants", "Idées"])
    assert [c.title for c in custom.columns.all()] == ["Irritants", "Idées"]
    assert [c.title for c in board.columns.all()] == ["Besoins", "Pratiques", "Ce que je ne referais pas"]
