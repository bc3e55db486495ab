"""How a participant is recognised without an account: a random token, kept in a signed cookie per board
(pages) or sent as the `X-Participant-Token` header (API clients). The cookie is SameSite=Lax and HttpOnly:
another site cannot post as the participant, and the page's script never reads it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import queries
from .models import Board, Participant

SALT = "catalyse.workshops.participant"
MAX_AGE = 14 * 24 * 3600  # a workshop day, and the days after it when people come back to read


def _cookie(board: Board) -> str:
    return f"atelier_{board.code}"


def remember(response: HttpResponse, participant: Participant) -> None:
    response.set_signed_cookie(
        _cookie(participant.board),
        participant.token,
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def from_cookie(request: HttpRequest, board: Board) -> Participant | None:
    token = request.get_signed_cookie(_cookie(board), default=None, salt=SALT, max_age=MAX_AGE)
    return queries.participant_of(board, token)


def from_header(request: HttpRequest, board: Board) -> Participant | None:
    return queries.participant_of(board, request.headers.get("X-Participant-Token"))
