"""Reads of the workshop boards: the board as a page shows it, and what changed since a version (polling)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from catalyse.events.models import Event, Session
from catalyse.events.permissions import events_organised_by

from .models import Board, Card, Column, Participant, Vote

CARD_CACHE_SECONDS = 15 * 60  # a card's state at one version: a room's screens read it within seconds
# "B3", "b 3" or "#3": the letter is a reading aid (the card's column now), the number identifies the card.
REFERENCE = re.compile(r"(?<![\w#])(?:([A-Za-z])\s?|#)(\d{1,5})\b")


def column_letter(index: int) -> str:
    return string.ascii_uppercase[index % 26]


def references_of(board: Board) -> dict[int, str]:
    """Column pk -> the letter cards of that column show ("B" in "B3"), as on the board."""
    return {pk: column_letter(i) for i, pk in enumerate(board.columns.values_list("pk", flat=True))}


def card_reference(card: Card | CardView, letters: dict[int, str]) -> str:
    """The card's reference as the board shows it ("B3"), `letters` from `references_of`."""
    return f"{letters.get(card.column_id, '?')}{card.number}"


def board_by_code(code: str) -> Board | None:
    return Board.objects.filter(code=code.strip().upper()).first()


def events_for_boards(user, *, keep: int | None = None) -> QuerySet[Event]:
    """The events `user` may put a board in: those they organise, latest first. `keep`, the event a board is in
    already, stays offered to its facilitators, who may not organise it."""
    return Event.objects.filter(Q(pk__in=events_organised_by(user).values("pk")) | Q(pk=keep)).order_by(
        "-starts_at", "pk"
    )


def sessions_of(events: QuerySet[Event]) -> QuerySet[Session]:
    """The sessions of `events`, event by event as `events_for_boards` orders them, each in programme order."""
    return (
        Session.objects.filter(event__in=events)
        .select_related("event")
        .order_by("-event__starts_at", "event_id", "starts_at", "order", "pk")
    )


@dataclass(frozen=True)
class BoardState:
    pk: int
    code: str
    version: int
    status: str

    def board(self) -> Board:
        """A Board standing for the row read: enough for the reads keyed by its pk and code (not for a save)."""
        return Board(pk=self.pk, code=self.code, version=self.version, status=self.status)


def board_state(code: str) -> BoardState | None:
    """The version and status of a board: all that a poll with nothing new needs (one indexed read, no model
    instance). A room of 60 screens polls 40 times a second, mostly to learn that nothing changed."""
    row = Board.objects.filter(code=code.upper()).values_list("pk", "code", "version", "status").first()
    return BoardState(*row) if row else None


def columns_of(board: Board) -> list[Column]:
    """The board's columns, each with its `.letter` (A, B, C… in their order)."""
    columns = list(board.columns.all())
    for i, column in enumerate(columns):
        column.letter = column_letter(i)
    return columns


def surviving_pk(card: Card):
    """A subquery: the pk of the visible card that `card` is or was merged into (merges are one level deep:
    merging a card that absorbed others moves them along)."""
    return Card.objects.filter(pk=card.pk).order_by().values(pk_=Coalesce("merged_into_id", "id"))[:1]


def vote_count(card: Card) -> int:
    """The +1s of the visible card that `card` is or was merged into."""
    return Vote.objects.filter(card_id=Subquery(surviving_pk(card))).count()


def _numbers(board: Board, letters: dict[int, str], mentioned: set[int]) -> dict[int, str]:
    """The current reference of the visible cards among `mentioned` numbers."""
    if not mentioned:
        return {}
    visible = Card.objects.filter(board=board, merged_into=None, number__in=mentioned)
    return {n: f"{letters.get(col, '?')}{n}" for n, col in visible.values_list("number", "column_id")}


def _participants():
    # Kept to the columns a label needs: every write asks.
    return Participant.objects.select_related("organisation").only(
        *(f.name for f in Participant._meta.concrete_fields), "organisation__name"
    )


def participant_of(board: Board, token: str | None) -> Participant | None:
    """The participant whose token this is, on `board` (the board not read again)."""
    if not token:
        return None
    participant = _participants().filter(board=board, token=token).first()
    if participant is not None:
        participant.board = board
    return participant


def participant_by_code(code: str, token: str | None) -> Participant | None:
    """The participant whose token this is, with its board, on the board of this code: one read for an API
    write (the board's own read would be a second)."""
    if not token:
        return None
    return _participants().select_related("board").filter(board__code=code.upper(), token=token).first()


@dataclass
class CardView:
    """A card as boards show it. Read as plain values: a poll can carry a hundred cards, sixty times a second."""

    pk: int
    number: int
    column_id: int
    text: str
    pinned: bool
    order: int
    merged_into: int | None  # the number of the card it was merged into (hidden then)
    changed_version: int
    vote_count: int
    authors: list[str] = field(default_factory=list)  # labels, the author first
    reference: str = ""  # column letter + number: "B3"
    html: str = ""  # the text escaped, with links to the cards it mentions
    voted: bool = False  # by the participant asking


_CARD_VALUES = ("pk", "number", "column_id", "text", "pinned", "order", "merged_into__number", "changed_version")


def _card_views(cards, letters: dict[int, str]) -> list[CardView]:
    """`cards` (a Card queryset, ordered) as CardViews, in three small queries whatever their number."""
    rows = list(cards.annotate(vote_count=Count("votes")).values_list(*_CARD_VALUES, "author_id", "vote_count"))
    views = [CardView(*row[:8], vote_count=row[9]) for row in rows]
    pks = [v.pk for v in views]
    authors = {v.pk: [author] for v, (*_, author, _n) in zip(views, rows, strict=True) if author}
    for card_id, participant_id in Card.coauthors.through.objects.filter(card_id__in=pks).values_list(
        "card_id", "participant_id"
    ):
        authors.setdefault(card_id, []).append(participant_id)
    wanted = {pid for ids in authors.values() for pid in ids}
    labels = {p.pk: p.label for p in Participant.objects.filter(pk__in=wanted).select_related("organisation")}
    for view in views:
        view.authors = [labels[pid] for pid in authors.get(view.pk, []) if pid in labels]
        view.reference = card_reference(view, letters)
    return views


def _mark_voted(views: list[CardView], board: Board, token: str | None) -> None:
    """Mark the cards the participant of `token` voted for (the participant found in the same query)."""
    if not token or not views:
        return
    votes = Vote.objects.filter(
        participant__board=board, participant__token=token, card_id__in=[v.pk for v in views]
    )
    voted = set(votes.values_list("card_id", flat=True))
    for view in views:
        view.voted = view.pk in voted


def _cache_key(board: Board, pk: int, version: int) -> str:
    # With the board's random code: on SQLite a rolled-back transaction (tests) can give a pk and a version
    # again to other content. A restore empties the cache (core.backup).
    return f"workshops:card:{board.code}:{pk}:{version}"


def _changed_views(board: Board, since: int, letters: dict[int, str]) -> tuple[list[CardView], int]:
    """The cards changed after `since`. What a card shows at a version is the same for everyone (but `voted`),
    and a room's screens all ask for the same recent versions: each card is built once per version and kept in
    the cache, so a poll reads the changed cards' stamps and the cache. The references in a text are resolved
    when the card is built (as before: a card that did not change is not sent again)."""
    stamps = dict(
        Card.objects.filter(board=board, changed_version__gt=since)
        .order_by("number")
        .values_list("pk", "changed_version")
    )
    keys = {pk: _cache_key(board, pk, version) for pk, version in stamps.items()}
    found = cache.get_many(keys.values())
    views = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in stamps if pk not in views]
    if missing:
        built = _card_views(Card.objects.filter(pk__in=missing), letters)
        _link_references(board, built, letters)
        # A card changed since its stamp was read is kept under the version it was built at: still true.
        cache.set_many({_cache_key(board, v.pk, v.changed_version): v for v in built}, CARD_CACHE_SECONDS)
        views.update((v.pk, v) for v in built)
    return sorted(views.values(), key=lambda v: v.number), max(stamps.values(), default=since)


def _link_references(board: Board, views: list[CardView], letters: dict[int, str], numbers=None) -> None:
    """Render each text with its references ("B3") as links to the visible cards they name."""
    if numbers is None:  # only the cards the texts mention are read
        mentioned = {int(m.group(2)) for v in views for m in REFERENCE.finditer(v.text)}
        numbers = _numbers(board, letters, mentioned)
    for view in views:
        view.html = card_html(view.text, numbers)


def card_written(board: Board, card: Card) -> CardView:
    """A card its author has just written, as the changes list shows it, without reading it back: no vote, no
    co-author and no merge yet."""
    letters = {c.pk: c.letter for c in columns_of(board)}
    view = CardView(
        card.pk, card.number, card.column_id, card.text, card.pinned, card.order, None, card.changed_version, 0
    )
    view.authors, view.reference = [card.author.label], card_reference(card, letters)
    _link_references(board, [view], letters)
    return view


@dataclass
class BoardView:
    board: Board
    columns: list[Column]
    letters: dict[int, str]  # column pk -> letter
    cards_by_column: dict[int, list[CardView]] = field(default_factory=dict)


def board_view(board: Board, participant: Participant | None = None) -> BoardView:
    columns = list(board.columns.all())
    view = BoardView(board=board, columns=columns, letters={c.pk: column_letter(i) for i, c in enumerate(columns)})
    view.cards_by_column = {c.pk: [] for c in columns}
    visible = Card.objects.filter(board=board, merged_into=None).order_by("-pinned", "order", "number")
    cards = _card_views(visible, view.letters)
    _link_references(board, cards, view.letters, {c.number: c.reference for c in cards})
    _mark_voted(cards, board, participant.token if participant else None)
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
    cards: list[CardView]  # merged ones too (with merged_into)


def board_changes(
    board: Board | BoardState, since: int, participant: Participant | str | None = None
) -> Changes:
    """What changed after version `since`: the columns (always: a handful), the cards whose content, place,
    votes or merge changed, and the version to ask from next; `voted` marked for `participant` (or the one of
    this token). Nothing changed costs one indexed query. Given a BoardState just read (a poll), the board is
    not read again: the answer holds every write up to that version at least."""
    if isinstance(board, BoardState):
        version, status, board = board.version, board.status, board.board()
    else:
        version, status = Board.objects.filter(pk=board.pk).values_list("version", "status").get()
    if since >= version:
        return Changes(version, status, [], [])
    columns = columns_of(board)
    letters = {c.pk: c.letter for c in columns}
    changed, stamped = _changed_views(board, since, letters)
    _mark_voted(changed, board, participant.token if isinstance(participant, Participant) else participant)
    # A write committed between the two reads may show in the stamps already: never go back in versions. Only
    # the stamps count (one read, so every write up to the newest stamp is in it): a card built after them may
    # be newer still, and answering its version would skip the writes committed in between.
    return Changes(max(version, stamped), status, columns, changed)
