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


def _cookie(board: Board | str) -> str:
    return f"atelier_{board if isinstance(board, str) else board.code}"


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


def _cookie_token(request: HttpRequest, code: str) -> str | None:
    return request.get_signed_cookie(_cookie(code), default=None, salt=SALT, max_age=MAX_AGE)


def from_cookie(request: HttpRequest, board: Board) -> Participant | None:
    return queries.participant_of(board, _cookie_token(request, board.code))


def token_of(request: HttpRequest, code: str) -> str | None:
    """The token the request carries for the board of this code (header, else cookie), not checked: the reads
    that use it join it to the board's participants."""
    return request.headers.get("X-Participant-Token") or _cookie_token(request, code.upper())

