import json
import zipfile
from io import BytesIO

import pytest

from catalyse.accounts.personal_data import account_delete, personal_data_export
from catalyse.accounts.tests.factories import UserFactory
from catalyse.workshops import queries, services, services_synthesis
from catalyse.workshops.services_synthesis import ProposalInput

from . import factories

pytestmark = pytest.mark.django_db


def test_a_signed_in_participant_finds_their_boards_cards_and_votes_in_their_export():
    person = UserFactory()
    board = factories.board()
    me = factories.participant(board, "Camille D.", user=person)
    card = services.card_create(participant=me, text="Une carte des acteurs")
    services.vote_add(participant=me, card=card)
    factories.participant(board, "Autre")  # anonymous: in nobody's export

    with zipfile.ZipFile(BytesIO(personal_data_export(person))) as archive:
        rows = json.loads(archive.read("donnees.json"))["workshop_participations"]

    assert [(r["board"], r["display_name"], [c["text"] for c in r["cards"]], r["votes"]) for r in rows] == [
        (board.code, "Camille D.", ["Une carte des acteurs"], [card.number])
    ]


def test_deleting_the_account_keeps_the_cards_but_not_the_name_nor_the_cookie():
    person = UserFactory()
    board = factories.board()
    me = factories.participant(board, "Camille D.", user=person, organisation_label="Une association")
    card = services.card_create(participant=me, text="Partager les résultats")
    token = me.token

    account_delete(person)

    me.refresh_from_db()
    assert (me.display_name, me.organisation_label, me.user, me.label) == ("Ancien membre", "", None, "Ancien membre")
    assert me.token != token
    assert board.cards.get().pk == card.pk


def test_the_syntheses_a_person_last_edited_are_in_their_export_and_stay_after_deletion():
    person = UserFactory()
    board = factories.board(facilitator=person)
    synthesis = services_synthesis.synthesis_save(
        board=board, actor=person, publish=False, proposals=[ProposalInput("Une carte partagée des lieux")]
    )
    factories.board()  # another group's board, without synthesis

    with zipfile.ZipFile(BytesIO(personal_data_export(person))) as archive:
        rows = json.loads(archive.read("donnees.json"))["workshop_syntheses"]
    assert [(r["board"], r["proposals"]) for r in rows] == [(board.code, ["Une carte partagée des lieux"])]

    account_delete(person)
    synthesis.refresh_from_db()
    assert synthesis.proposals.count() == 1  # the group's work stays


def test_screens_polling_the_board_see_the_cards_of_a_deleted_account_signed_ancien_membre():
    person = UserFactory()
    board = factories.board()
    me = factories.participant(board, "Camille D.", user=person)
    card = services.card_create(participant=me, text="Partager les résultats")
    before = queries.board_changes(board, 0)  # every screen has seen (and the cache holds) the signed card
    assert before.cards[0].authors == ["Camille D."]

    account_delete(person)

    after = queries.board_changes(board, before.version)
    assert [(c.number, c.authors) for c in after.cards] == [(card.number, ["Ancien membre"])]
