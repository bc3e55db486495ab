"""Writes of the workshop boards. Each one runs in a transaction that first bumps the board's version (the
row lock this takes serialises the writers of one board, so versions commit in order and a poller that has
seen version N has seen every write up to N), then stamps what it changed with that version.

Closed boards refuse every participant write with `BoardClosed` (a French message; 409 in the API).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.translation import ngettext

from catalyse.accounts.audit import Action, audit_changes, audit_record
from catalyse.core.ratelimit import rate_limit

from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DEFAULT_COLUMNS,
    Board,
    BoardStatus,
    Card,
    Column,
    Participant,
    ShowAs,
    Vote,
)
from .queries import card_reference, references_of, surviving_pk

CARD_TEXT_MAX = 500
# Per participant and minute: a person writes a few cards and votes in a burst, a script hundreds.
CARDS_PER_MINUTE = 30
VOTES_PER_MINUTE = 120
# Per address and board, over 10 minutes. A room on one conference Wi-Fi joins from one address (the venue's
# NAT), most people in the minute after the code is projected: 120 is twice the largest room we plan for (60,
# bench/bench_workshops.py), with room for people who join again from a second device or a private window. A
# script minting participants to stuff the votes stops there; from several addresses it needs as many.
JOINS_PER_ADDRESS = 120
JOINS_PERIOD = 600


class BoardClosed(ValidationError):
    def __init__(self) -> None:
        super().__init__("Ce tableau est clos : il n'accepte plus de cartes, de votes ni de participants.")


class TooFast(ValidationError):
    def __init__(self, retry_after: int, message: str = "") -> None:
        super().__init__(message or f"Trop d'envois rapprochés : réessayez dans {retry_after} s.")
        self.retry_after = retry_after


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _bump(board: Board, *, numbers: int = 0) -> int:
    """Lock the board's row and return its new version, in one statement on both engines (UPDATE … RETURNING:
    the lock is held from the transaction's first write, as briefly as possible). `numbers` card numbers are
    reserved at the same time, the first one left in `board.next_card_number`."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Board._meta.db_table)} SET {quote('version')} = {quote('version')} + 1, "  # noqa: S608
            f"{quote('next_card_number')} = {quote('next_card_number')} + %s WHERE {quote('id')} = %s "
            f"RETURNING {quote('version')}, {quote('status')}, {quote('next_card_number')}",
            [numbers, board.pk],
        )
        board.version, board.status, after = cursor.fetchone()
    board.next_card_number = after - numbers
    return board.version


def _bump_open(board: Board, *, numbers: int = 0) -> int:
    version = _bump(board, numbers=numbers)
    if board.status != BoardStatus.OPEN:
        raise BoardClosed()
    return version


def _throttle(kind: str, participant: Participant, limit: int) -> None:
    result = rate_limit(f"workshops:{kind}:{participant.token}", limit, 60)
    if not result.allowed:
        raise TooFast(result.retry_after)


@transaction.atomic
def board_create(
    *,
    title: str,
    created_by,
    group_name: str = "",
    event=None,
    session=None,
    columns: Iterable[str] = DEFAULT_COLUMNS,
    facilitators: Iterable = (),
    code: str = "",
) -> Board:
    """A board with its columns (the three defaults unless given) and a short code to join it; `code` is for
    the demo, whose boards keep stable addresses."""
    titles = [t.strip() for t in columns if t.strip()] or list(DEFAULT_COLUMNS)
    if session is not None and event is None:
        event = session.event
    for _attempt in range(0 if code else 10):  # 25^6 codes: a collision is rare, ten in a row unheard of
        code = _new_code()
        if not Board.objects.filter(code=code).exists():
            break
    board = Board(
        title=title.strip(),
        group_name=group_name.strip(),
        event=event,
        session=session,
        code=code,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    board.full_clean()
    board.save()
    board.facilitators.set([*facilitators, *([board.created_by] if board.created_by else [])])
    Column.objects.bulk_create(Column(board=board, title=t[:80], order=i) for i, t in enumerate(titles))
    audit_record(
        Action.CREATE,
        obj=board,
        actor=created_by if board.created_by else None,
        changes={"code": board.code, "columns": titles},
    )
    return board


@transaction.atomic
def board_update(board: Board, *, title: str, group_name: str = "", event=None, session=None, actor=None) -> Board:
    """Rename a board, or move it to another event or session (its synthesis then shows on that event's
    synthesis page). Closed boards too: a board is often attached to its event after the workshop."""
    if session is not None and event is None:
        event = session.event
    before = {
        "title": board.title,
        "group_name": board.group_name,
        "event": str(board.event) if board.event_id else None,
        "session": str(board.session) if board.session_id else None,
    }
    board.title, board.group_name, board.event, board.session = title.strip(), group_name.strip(), event, session
    board.full_clean(exclude=["code"])
    board.save(update_fields=["title", "group_name", "event", "session"])
    audit_record(Action.UPDATE, obj=board, actor=actor, changes=audit_changes(before, board))
    return board


@transaction.atomic
def board_close(board: Board, *, actor=None, reopen: bool = False) -> Board:
    _bump(board)
    board.status = BoardStatus.OPEN if reopen else BoardStatus.CLOSED
    board.closed_at = None if reopen else timezone.now()
    Board.objects.filter(pk=board.pk).update(status=board.status, closed_at=board.closed_at)
    audit_record(Action.UPDATE, obj=board, actor=actor, changes={"status": board.status})
    return board


@transaction.atomic
def participant_join(
    *,
    board: Board,
    display_name: str,
    show_as: str = ShowAs.INITIALS,
    organisation=None,
    organisation_label: str = "",
    user=None,
    ip: str | None = None,
) -> Participant:
    """A person joins a board by its code, signed in or not. The token returned goes in their signed cookie.

    Joins through the site or the API give the client's address `ip` ("" when unknown): they are limited per
    address and board (TooFast); joins made by code (the demo, tests) give None."""
    if ip is not None:
        _throttle_joins(board, ip)
    _bump_open(board)
    participant = Participant(
        board=board,
        display_name=display_name.strip(),
        show_as=show_as,
        organisation=organisation,
        organisation_label=("" if organisation else organisation_label.strip())[:120],
        user=user if getattr(user, "is_authenticated", False) else None,
        token=secrets.token_urlsafe(32),
    )
    participant.full_clean(exclude=["token"])
    participant.save()
    audit_record(Action.CREATE, obj=participant, changes={"board": board.code})
    return participant


def _throttle_joins(board: Board, ip: str) -> None:
    result = rate_limit(f"workshops:join:{board.pk}:{ip}", JOINS_PER_ADDRESS, JOINS_PERIOD)
    if not result.allowed:
        minutes = result.retry_after_minutes
        raise TooFast(
            result.retry_after,
            ngettext(
                "Trop de personnes ont rejoint ce tableau depuis votre connexion : réessayez dans %(minutes)d "
                "minute, ou prévenez l'animateur.",
                "Trop de personnes ont rejoint ce tableau depuis votre connexion : réessayez dans %(minutes)d "
                "minutes, ou prévenez l'animateur.",
                minutes,
            )
            % {"minutes": minutes},
        )


@transaction.atomic
def participant_anonymise(participant: Participant) -> None:
    """The person's account is deleted: their cards stay, signed "Ancien membre"; the name, the organisation,
    the link to the account and the token go. Their cards are stamped anew, so every screen (and the cache of
    the cards' states) shows the new signature."""
    version = _bump(participant.board)
    participant.display_name, participant.organisation_label, participant.organisation = "Ancien membre", "", None
    participant.show_as, participant.user, participant.token = ShowAs.INITIALS, None, secrets.token_urlsafe(32)
    participant.save()
    Card.objects.filter(Q(author=participant) | Q(coauthors=participant)).update(changed_version=version)
    audit_record(Action.UPDATE, obj=participant, changes={"display_name": participant.display_name})


def _column_of(board: Board, column: Column | int | None) -> Column:
    pk = column.pk if isinstance(column, Column) else column
    found = board.columns.filter(pk=pk).first() if pk else board.columns.first()
    if found is None:
        raise ValidationError("Cette colonne n'existe pas sur ce tableau.")
    return found


@transaction.atomic
def card_create(*, participant: Participant, text: str, column: Column | int | None = None) -> Card:
    text = text.strip()
    if not text:
        raise ValidationError("Écrivez le texte de la carte.")
    if len(text) > CARD_TEXT_MAX:
        raise ValidationError(f"Une carte tient en {CARD_TEXT_MAX} caractères au plus ({len(text)} ici).")
    board = participant.board
    version = _bump_open(board, numbers=1)
    _throttle("card", participant, CARDS_PER_MINUTE)
    target = _column_of(board, column)
    number = board.next_card_number
    # A new card goes last in its column: its number is greater than any order there (moves renumber a column
    # 1…n, and n never reaches a number not yet given), so the number serves as its order.
    card = Card.objects.create(
        board=board,
        column=target,
        number=number,
        text=text,
        author=participant,
        order=number,
        changed_version=version,
    )
    audit_record(Action.CREATE, obj=card, changes={"board": board.code, "number": number})
    return card


@transaction.atomic
def vote_add(*, participant: Participant, card: Card) -> bool:
    """+1 on `card`; False if the participant had already voted (the unique constraint decides, so two
    simultaneous clicks count once). Merged cards pass the vote to the card they were merged into."""
    board = participant.board
    if card.board_id != board.pk:
        raise ValidationError("Cette carte n'est pas sur ce tableau.")
    version = _bump_open(board)
    _throttle("vote", participant, VOTES_PER_MINUTE)
    voted = _vote_insert(participant, card)
    if voted is None:
        return False
    Card.objects.filter(pk=voted).update(changed_version=version)
    if voted != card.pk:  # a screen not yet refreshed voted on a card merged since
        card = Card.objects.get(pk=voted)
    audit_record(Action.CREATE, obj=card, changes={"vote": "+1"})
    return True


def _vote_insert(participant: Participant, card: Card) -> int | None:
    """Insert the vote on the card that `card` is or was merged into unless it is there already, in one
    statement on both engines (INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING: no savepoint, no read
    first). The voted card's pk, or None for a vote already counted."""
    q = connection.ops.quote_name
    created_at = Vote._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(Vote._meta.db_table)} ({q('card_id')}, {q('participant_id')}, {q('created_at')}) "  # noqa: S608
            f"SELECT COALESCE({q('merged_into_id')}, {q('id')}), %s, %s FROM {q(Card._meta.db_table)} "
            f"WHERE {q('id')} = %s ON CONFLICT ({q('card_id')}, {q('participant_id')}) DO NOTHING "
            f"RETURNING {q('card_id')}",
            [participant.pk, created_at, card.pk],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@transaction.atomic
def vote_remove(*, participant: Participant, card: Card) -> bool:
    version = _bump_open(participant.board)
    deleted, _ = Vote.objects.filter(card_id=Subquery(surviving_pk(card)), participant=participant).delete()
    if deleted:
        Card.objects.filter(pk=Subquery(surviving_pk(card))).update(changed_version=version)
        audit_record(Action.DELETE, obj=card, changes={"vote": "-1"})
    return bool(deleted)


@transaction.atomic
def cards_merge(*, keep: Card, merge: Iterable[Card], actor=None) -> Card:
    """Merge cards into `keep`: their votes move to it (one per participant: a person who voted for two of
    them counts once), their authors become its co-authors, their texts stay on the hidden merged cards."""
    board = keep.board
    version = _bump_open(board)
    ids = list(dict.fromkeys(c.pk for c in merge if c.pk != keep.pk))
    if not ids:
        raise ValidationError("Choisissez au moins une autre carte à fusionner.")
    # The cards given were read before the board's lock: another facilitator may have merged one of them
    # since. Read again under the lock, so every merge ends on a visible card (votes and reads follow
    # merged_into one level only). A card merged meanwhile refuses the merge rather than redirecting it to the
    # card that absorbed it: the facilitator chose between the cards on their screen, and a merge is not
    # undone; they see the board as it now is and choose again.
    fresh = Card.objects.select_related("merged_into").in_bulk([keep.pk, *ids])
    keep, others = fresh.get(keep.pk), [fresh[pk] for pk in ids if pk in fresh]
    if keep is None or len(others) != len(ids) or any(c.board_id != keep.board_id for c in others):
        raise ValidationError("Seules des cartes du même tableau peuvent être fusionnées.")
    merged = [c for c in [keep, *others] if c.merged_into_id]
    if merged:
        letters = references_of(board)
        card, into = card_reference(merged[0], letters), card_reference(merged[0].merged_into, letters)
        raise ValidationError(
            f"La carte {card} a déjà été fusionnée dans la carte {into} : rien n'a été changé. "
            "Vérifiez le tableau et recommencez."
        )
    voters = set(keep.votes.values_list("participant_id", flat=True))
    moved = []
    for participant_id in Vote.objects.filter(card_id__in=ids).values_list("participant_id", flat=True).distinct():
        if participant_id not in voters:
            moved.append(Vote(card=keep, participant_id=participant_id))
            voters.add(participant_id)
    Vote.objects.filter(card_id__in=ids).delete()
    Vote.objects.bulk_create(moved)
    authors = {c.author_id for c in others if c.author_id} | set(
        Card.coauthors.through.objects.filter(card_id__in=ids).values_list("participant_id", flat=True)
    )
    keep.coauthors.add(*(authors - {keep.author_id}))
    Card.objects.filter(merged_into_id__in=ids).update(merged_into=keep)  # earlier merges follow
    Card.objects.filter(pk__in=ids).update(merged_into=keep, changed_version=version)
    Card.objects.filter(pk=keep.pk).update(changed_version=version)
    audit_record(Action.UPDATE, obj=keep, actor=actor, changes={"merged": [c.number for c in others]})
    keep.refresh_from_db()
    return keep


@transaction.atomic
def card_move(card: Card, *, column: Column | int | None = None, position: int | None = None, actor=None) -> Card:
    """Move a card to another column and/or to `position` (0-based) among the column's visible cards."""
    version = _bump_open(card.board)
    target = _column_of(card.board, column if column is not None else card.column_id)
    siblings = list(target.cards.filter(merged_into=None).exclude(pk=card.pk).order_by("order", "number"))
    position = len(siblings) if position is None else max(0, min(position, len(siblings)))
    siblings.insert(position, card)
    for order, sibling in enumerate(siblings, start=1):
        if sibling.order != order or sibling.pk == card.pk:
            Card.objects.filter(pk=sibling.pk).update(
                order=order, changed_version=version, **({"column": target} if sibling.pk == card.pk else {})
            )
    audit_record(Action.UPDATE, obj=card, actor=actor, changes={"column": target.title, "position": position})
    card.refresh_from_db()
    return card


@transaction.atomic
def card_pin(card: Card, *, pinned: bool = True, actor=None) -> Card:
    version = _bump_open(card.board)
    Card.objects.filter(pk=card.pk).update(pinned=pinned, changed_version=version)
    audit_record(Action.UPDATE, obj=card, actor=actor, changes={"pinned": pinned})
    card.refresh_from_db()
    return card
