"""A small world for the synthesis tests: an event with boards, cards and votes."""

from __future__ import annotations

import datetime

from django.utils import timezone

from catalyse.events.models import Event, EventStatus
from catalyse.workshops import services
from catalyse.workshops.models import Board, Card
from catalyse.workshops.services_synthesis import ProposalInput, synthesis_save


def make_event(*, slug: str = "rencontre-essai", published: bool = True, **fields) -> Event:
    start = timezone.now() - datetime.timedelta(days=30)
    return Event.objects.create(
        slug=slug,
        title=fields.pop("title", "Rencontre d'essai"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=8),
        status=EventStatus.PUBLISHED if published else EventStatus.DRAFT,
        **fields,
    )


def make_board(event: Event, group: str, facilitator) -> Board:
    return services.board_create(
        title="Valoriser les territoires", group_name=group, event=event, created_by=facilitator
    )


def cards_with_votes(board: Board, column_index: int, votes: list[int], prefix: str = "Carte") -> list[Card]:
    """Cards in the board's column `column_index`, the n-th receiving votes[n] +1s from distinct voters."""
    column = list(board.columns.all())[column_index]
    writer = services.participant_join(board=board, display_name="A.B.")
    voters = [services.participant_join(board=board, display_name=f"V{i}") for i in range(max(votes, default=0))]
    cards = []
    for n, count in enumerate(votes):
        card = services.card_create(participant=writer, text=f"{prefix} {n} de {board.group_name}", column=column)
        for voter in voters[:count]:
            services.vote_add(participant=voter, card=card)
        cards.append(card)
    return cards


def publish(board: Board, texts: list[str], actor, *, cards: list[Card] = (), publish: bool = True):
    return synthesis_save(
        board=board, actor=actor, publish=publish, proposals=[ProposalInput(text, cards=list(cards)) for text in texts]
    )
