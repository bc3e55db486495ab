"""Reads of the workshop boards: the board as a page shows it, and what changed since a version (polling)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .models import Board, Card, Column, Participant, Vote

# "B3", "b 3" or "#3": the letter is a reading aid (the card's column now), the number identifies the card.
REFERENCE = re.compile(r"(?<![\w#])(?:([A-Za-z])\s?|#)(\d{1,5})\b")


def column_letter(index: int) -> str:
    return string.ascii_uppercase[index % 26]


def board_by_code(code: str) -> Board | None:
    return Board.objects.filter(code=code.strip().upper()).first()


def columns_of(board: Board) -> list[Column]:
    """The board's columns, each with its `.letter` (A, B, C… in their order)."""
    columns = list(board.columns.all())
    for i, column in enumerate(columns):
        column.letter = column_letter(i)
    return columns


def card_surviving(card: Card) -> Card:
    """The visible card `card` was merged into, or itself (read again: the caller's copy may predate a merge)."""
    card = Card.objects.get(pk=card.pk)
    while card.merged_into_id:
        card = Card.objects.get(pk=card.merged_into_id)
    return card


def card_detail(board: Board, number: int, participant: Participant | None = None) -> Card | None:
    """One card as the changes list shows it (reference, html, authors, votes)."""
    card = _cards(board, participant).select_related("merged_into").filter(number=number).first()
    if card is not None:
        letters = {c.pk: c.letter for c in columns_of(board)}
        mentioned = {int(m.group(2)) for m in REFERENCE.finditer(card.text)}
        _decorate([card], letters, _numbers(board, letters, mentioned))
    return card


def _numbers(board: Board, letters: dict[int, str], mentioned: set[int]) -> dict[int, str]:
    """The current reference of the visible cards among `mentioned` numbers."""
    if not mentioned:
        return {}
    visible = Card.objects.filter(board=board, merged_into=None, number__in=mentioned)
    return {n: f"{letters.get(col, '?')}{n}" for n, col in visible.values_list("number", "column_id")}


def participant_of(board: Board, token: str | None) -> Participant | None:
    if not token:
        return None
    return Participant.objects.filter(board=board, token=token).select_related("organisation").first()


def _cards(board: Board, participant: Participant | None):
    qs = (
        Card.objects.filter(board=board)
        .select_related("author__organisation")
        .prefetch_related(Prefetch("coauthors", queryset=Participant.objects.select_related("organisation")))
        .annotate(vote_count=Count("votes", distinct=True))
    )
    if participant is not None:
        qs = qs.annotate(voted=Exists(Vote.objects.filter(card=OuterRef("pk"), participant=participant)))
    return qs


@dataclass
class BoardView:
    board: Board
    columns: list[Column]
    letters: dict[int, str]  # column pk -> letter
    cards_by_column: dict[int, list[Card]] = field(default_factory=dict)


def board_view(board: Board, participant: Participant | None = None) -> BoardView:
    columns = list(board.columns.all())
    view = BoardView(board=board, columns=columns, letters={c.pk: column_letter(i) for i, c in enumerate(columns)})
    view.cards_by_column = {c.pk: [] for c in columns}
    cards = list(_cards(board, participant).filter(merged_into=None).order_by("-pinned", "order", "number"))
    _decorate(cards, view.letters, {c.number: f"{view.letters[c.column_id]}{c.number}" for c in cards})
    for card in cards:
        view.cards_by_column[card.column_id].append(card)
    for column in columns:
        column.letter = view.letters[column.pk]
        column.visible_cards = view.cards_by_column[column.pk]
    return view


def card_html(text: str, numbers: dict[int, str]) -> SafeString:
    """The card's text, escaped, with references to other cards of the board ("B3") as links to them.
    `numbers` maps the numbers of the board's visible cards to their current reference."""
    out, last = [], 0
    for match in REFERENCE.finditer(text):
        number = int(match.group(2))
        if number not in numbers:
            continue
        out.append(escape(text[last : match.start()]))
        out.append(format_html('<a href="#carte-{}" class="card-ref">{}</a>', number, numbers[number]))
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308  (every piece above is escaped or format_html)


@dataclass
class Changes:
    version: int
    status: str
    columns: list[Column]  # with .letter; empty when nothing changed
    cards: list[Card]  # with .reference, .html and .authors; merged ones too (with merged_into)


def _decorate(cards: list[Card], letters: dict[int, str], numbers: dict[int, str]) -> None:
    for card in cards:
        card.reference = f"{letters.get(card.column_id, '?')}{card.number}"
        card.html = card_html(card.text, numbers)
        card.authors = ([card.author] if card.author_id else []) + list(card.coauthors.all())


def board_changes(board: Board, since: int, participant: Participant | None = None) -> Changes:
    """What changed after version `since`: the columns (always: a handful), the cards whose content, place,
    votes or merge changed, and the version to ask from next. Nothing changed costs one indexed query."""
    version, status = Board.objects.filter(pk=board.pk).values_list("version", "status").get()
    if since >= version:
        return Changes(version, status, [], [])
    columns = columns_of(board)
    letters = {c.pk: c.letter for c in columns}
    changed = list(
        _cards(board, participant).select_related("merged_into").filter(changed_version__gt=since).order_by("number")
    )
    # References resolve against the board's visible cards: only those the changed texts mention are read.
    numbers = _numbers(board, letters, {int(m.group(2)) for c in changed for m in REFERENCE.finditer(c.text)})
    _decorate(changed, letters, numbers)
    # A write committed between the two reads may show in the cards already: never go back in versions.
    return Changes(max([version, *(c.changed_version for c in changed)]), status, columns, changed)
