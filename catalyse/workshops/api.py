"""Workshop boards API (a contract): boards, their changes since a version, joining, cards and +1 votes.

Participants have no account: `POST /boards/{code}/participants` returns a token, sent back as the
`X-Participant-Token` header on writes. Refusals are JSON `{"detail": "…"}`: 404 unknown board or card, 403
without a valid participant token, 409 closed board, 422 bad input, 429 too many cards or votes in a minute, or
too many joins of one board from one address (with Retry-After). Reads and participants' writes carry no
per-address limit: a whole room shares one address; joins have one generous enough for a room
(services.JOINS_PER_ADDRESS), so that a script cannot mint participants to stuff the votes.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from catalyse.api.auth import Detail, Throttled
from catalyse.api.pagination import LimitOffset
from catalyse.core.middleware import client_ip

from . import queries, services, tokens
from .models import Board, Card, Participant, ShowAs

router = Router(tags=["ateliers"])


class WorkshopColumnOut(Schema):
    id: int
    title: str
    letter: str


class WorkshopBoardOut(Schema):
    code: str
    title: str
    group_name: str
    status: str
    version: int
    event: str | None = Field(None, alias="event.slug")


class WorkshopBoardDetailOut(WorkshopBoardOut):
    columns: list[WorkshopColumnOut] = Field(alias="column_list")


class WorkshopCardOut(Schema):
    number: int
    reference: str = Field(description="Lettre de la colonne + numéro, ex. B3 ; le numéro seul identifie la carte")
    column: int = Field(alias="column_id")
    text: str
    authors: list[str]
    pinned: bool
    order: int
    votes: int = Field(alias="vote_count")
    voted: bool = Field(False, description="Le participant du jeton a voté pour cette carte")
    merged_into: int | None = Field(None, description="Numéro de la carte où celle-ci a été fusionnée (cachée)")


class WorkshopChangesOut(Schema):
    version: int = Field(description="À renvoyer comme `since` à la prochaine demande")
    status: str
    columns: list[WorkshopColumnOut]
    cards: list[WorkshopCardOut]


class WorkshopJoinIn(Schema):
    display_name: str = Field(min_length=1, max_length=40)
    organisation_label: str = Field("", max_length=120)
    show_as: ShowAs = ShowAs.INITIALS


class WorkshopParticipantOut(Schema):
    token: str
    label: str


class WorkshopCardIn(Schema):
    text: str = Field(min_length=1, max_length=services.CARD_TEXT_MAX)
    column: int | None = Field(None, description="Identifiant de la colonne ; la première par défaut")


class WorkshopVoteOut(Schema):
    counted: bool = Field(description="Faux si ce participant avait déjà voté (ou n'avait pas voté, pour un retrait)")
    votes: int


def _board(code: str) -> Board:
    return get_object_or_404(Board, code=code.upper())


def _participant(request: HttpRequest, code: str) -> Participant:
    """The participant of the header's token, with its board (one read); 404 if no board has this code."""
    participant = queries.participant_by_code(code, request.headers.get("X-Participant-Token"))
    if participant is None:
        _board(code)
        raise HttpError(403, "Jeton de participant absent ou invalide (en-tête X-Participant-Token).")
    return participant


def _write(fn):
    try:
        return fn()
    except services.TooFast as error:
        raise Throttled(error.retry_after, error.messages[0]) from error
    except services.BoardClosed as error:
        raise HttpError(409, error.messages[0]) from error
    except ValidationError as error:
        raise HttpError(422, error.messages[0]) from error


REFUSALS = {403: Detail, 404: Detail, 409: Detail, 422: Detail, 429: Detail}


@router.get("/boards", response=list[WorkshopBoardOut], summary="Tableaux d'atelier")
@paginate(LimitOffset)
def boards(request):
    return Board.objects.select_related("event").order_by("-created_at")


@router.get("/boards/{code}", response={200: WorkshopBoardDetailOut, 404: Detail}, summary="Un tableau et ses colonnes")
def board(request, code: str):
    board = _board(code)
    board.column_list = queries.columns_of(board)
    return board


@router.get(
    "/boards/{code}/changes",
    response={200: WorkshopChangesOut, 404: Detail},
    auth=None,
    summary="Ce qui a changé depuis une version (à interroger toutes les 1 à 2 s)",
)
def board_changes(request, code: str, since: int = 0):
    since = max(0, min(since, 2**62))
    state = queries.board_state(code)
    if state is None:
        raise HttpError(404, "Aucun tableau n'a ce code.")
    if since >= state.version:
        return {"version": state.version, "status": state.status, "cards": [], "columns": []}
    changes = queries.board_changes(state, since, tokens.token_of(request, code))
    # Answered as plain JSON: a poll can carry a hundred cards, and building each through the schema cost more
    # than reading them. The schema still documents the answer; a test checks that the two agree.
    return JsonResponse(
        {
            "version": changes.version,
            "status": changes.status,
            "columns": [{"id": c.pk, "title": c.title, "letter": c.letter} for c in changes.columns],
            "cards": [_card_out(c) for c in changes.cards],
        }
    )


def _card_out(card: queries.CardView) -> dict:
    return {
        "number": card.number,
        "reference": card.reference,
        "column": card.column_id,
        "text": card.text,
        "authors": card.authors,
        "pinned": card.pinned,
        "order": card.order,
        "votes": card.vote_count,
        "voted": card.voted,
        "merged_into": card.merged_into,
    }


@router.post(
    "/boards/{code}/participants",
    response={201: WorkshopParticipantOut, **REFUSALS},
    auth=None,
    summary="Rejoindre un tableau sans compte (limité par adresse et par tableau)",
)
def participant_join(request, code: str, payload: WorkshopJoinIn):
    board = _board(code)
    ip = client_ip(request) or ""
    participant = _write(lambda: services.participant_join(board=board, ip=ip, **payload.dict()))
    return 201, {"token": participant.token, "label": participant.label}


@router.post(
    "/boards/{code}/cards",
    response={201: WorkshopCardOut, **REFUSALS},
    auth=None,
    summary="Écrire une carte (limité par participant et par minute)",
)
def card_create(request, code: str, payload: WorkshopCardIn):
    participant = _participant(request, code)
    card = _write(lambda: services.card_create(participant=participant, text=payload.text, column=payload.column))
    return 201, queries.card_written(participant.board, card)


def _vote(request, code: str, number: int, write) -> WorkshopVoteOut:
    participant = _participant(request, code)
    card = get_object_or_404(Card, board=participant.board, number=number)
    counted = _write(lambda: write(participant=participant, card=card))
    return WorkshopVoteOut(counted=counted, votes=queries.vote_count(card))


@router.post(
    "/boards/{code}/cards/{number}/vote",
    response={200: WorkshopVoteOut, **REFUSALS},
    auth=None,
    summary="+1 sur une carte (un par participant ; limité par minute)",
)
def vote_add(request, code: str, number: int):
    return _vote(request, code, number, services.vote_add)


@router.delete(
    "/boards/{code}/cards/{number}/vote",
    response={200: WorkshopVoteOut, **REFUSALS},
    auth=None,
    summary="Retirer son +1",
)
def vote_remove(request, code: str, number: int):
    return _vote(request, code, number, services.vote_remove)
