"""Reads of the syntheses: a group's synthesis as its page shows it, and an event's synthesis — every group's
proposals and the most supported cards of the event's boards — for the page, the print and the PDF."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from catalyse.actors.models import Organisation
from catalyse.core import permissions
from catalyse.initiatives.models import Initiative

from .models import Board, Card
from .models_synthesis import Proposal, Synthesis
from .queries import card_reference, references_of

TOP_CARDS = 3  # per column: the cards a room supported most


@dataclass
class ProposalView:
    position: int
    text: str
    cards: list[dict]  # {"reference", "text", "votes"}
    initiatives: list[Initiative]
    organisations: list[Organisation]


@dataclass
class GroupSynthesis:
    board: Board
    synthesis: Synthesis
    proposals: list[ProposalView]


@dataclass
class TopColumn:
    title: str
    cards: list[dict] = field(default_factory=list)  # {"reference", "text", "votes", "group"}, most votes first


@dataclass
class EventSynthesis:
    event: object
    groups: list[GroupSynthesis]
    top: list[TopColumn]

    @property
    def published(self) -> bool:
        """Whether a group's synthesis is published: without one, only drafts (for their facilitators)."""
        return any(group.synthesis.is_published for group in self.groups)


def supporting_cards(proposal: Proposal) -> QuerySet[Card]:
    """The cards backing `proposal` as the board now shows them: a card merged since it was cited stands for
    the card that absorbed it (its votes went there), once even if both were cited."""
    cited = proposal.cards.order_by().values(pk_=Coalesce("merged_into_id", "id"))
    return Card.objects.filter(pk__in=cited).order_by("number")


def _group(user, synthesis: Synthesis) -> GroupSynthesis:
    letters = references_of(synthesis.board)
    visible_initiatives = permissions.visible_queryset(user, Initiative.objects.all())
    visible_organisations = permissions.visible_queryset(user, Organisation.objects.all())
    proposals = []
    for proposal in synthesis.proposals.all():
        cards = [
            {"reference": card_reference(c, letters), "text": c.text, "votes": c.vote_count}
            for c in supporting_cards(proposal).annotate(vote_count=Count("votes"))
        ]
        proposals.append(
            ProposalView(
                position=proposal.position,
                text=proposal.text,
                cards=cards,
                # An example the reader may not see is left out, never named.
                initiatives=list(visible_initiatives.filter(workshop_proposals=proposal).order_by("title")),
                organisations=list(visible_organisations.filter(workshop_proposals=proposal).order_by("name")),
            )
        )
    return GroupSynthesis(board=synthesis.board, synthesis=synthesis, proposals=proposals)


def board_synthesis(user, board: Board) -> GroupSynthesis | None:
    """The synthesis of `board` as `user` may read it (None: none yet, or not for their eyes)."""
    synthesis = permissions.visible_queryset(user, Synthesis.objects.filter(board=board)).first()
    return _group(user, synthesis) if synthesis else None


def _top_cards(boards: list[Board], top: int) -> list[TopColumn]:
    """The `top` most voted cards of each column title across `boards` (cards with no vote left out; ties by
    card number, the order they were written in)."""
    cards = (
        Card.objects.filter(board__in=boards, merged_into=None)
        .annotate(vote_count=Count("votes"))
        .filter(vote_count__gt=0)
        .select_related("column", "board")
        .order_by("-vote_count", "board__group_name", "number")
    )
    letters = {board.pk: references_of(board) for board in boards}
    columns: dict[str, TopColumn] = {}
    for board in boards:  # column order as on the boards
        for title in board.columns.values_list("title", flat=True):
            columns.setdefault(title, TopColumn(title=title))
    counted: dict[str, int] = defaultdict(int)
    for card in cards:
        column = columns.setdefault(card.column.title, TopColumn(title=card.column.title))
        if counted[column.title] < top:
            counted[column.title] += 1
            column.cards.append(
                {
                    "reference": card_reference(card, letters[card.board_id]),
                    "text": card.text,
                    "votes": card.vote_count,
                    "group": card.board.group_name or card.board.title,
                }
            )
    return [column for column in columns.values() if column.cards]


def _event_syntheses(user, event) -> QuerySet[Synthesis]:
    """The syntheses of the event's boards `user` may read: the published ones, and the drafts of the boards
    they facilitate (all of them for the animators)."""
    syntheses = permissions.visible_queryset(user, Synthesis.objects.all())
    return syntheses.filter(Q(board__event=event) | Q(board__session__event=event))


def event_has_synthesis(user, event) -> bool:
    """Whether the event's synthesis has a group's synthesis for `user` to read, in one query: its page and
    its PDF show nothing else, so the event's page links them only then."""
    return _event_syntheses(user, event).exists()


def event_synthesis(user, event, *, top: int = TOP_CARDS) -> EventSynthesis:
    """The event's synthesis as `user` may read it: the syntheses of its boards they may see (group by group)
    and, from those same boards, the most voted cards of each column."""
    syntheses = (
        _event_syntheses(user, event)
        .select_related("board")
        .prefetch_related(Prefetch("proposals", queryset=Proposal.objects.order_by("position")))
        .order_by("board__group_name", "board__title", "pk")
    )
    groups = [_group(user, s) for s in syntheses]
    return EventSynthesis(event=event, groups=groups, top=_top_cards([g.board for g in groups], top))


def event_synthesis_data(synthesis: EventSynthesis) -> dict:
    """The event's synthesis as the PDF template reads it (plain JSON)."""
    return {
        "groups": [
            {
                "group": group.board.group_name or group.board.title,
                "subject": group.board.title,
                "question": group.synthesis.question,
                "draft": not group.synthesis.is_published,
                "proposals": [
                    {
                        "position": p.position,
                        "text": p.text,
                        "cards": p.cards,
                        "examples": [i.title for i in p.initiatives] + [o.name for o in p.organisations],
                    }
                    for p in group.proposals
                ],
            }
            for group in synthesis.groups
        ],
        "top": [{"title": column.title, "cards": column.cards} for column in synthesis.top],
        "labels": {
            "empty": _("Aucune synthèse de groupe n'est encore publiée pour cet événement."),
            "draft": _("brouillon"),
            "cards": _("Cartes d'appui"),
            "examples": _("Exemples"),
            "top": _("Les cartes les plus soutenues"),
            "columns": [_("Réf."), _("Carte"), _("Groupe"), _("Votes")],
        },
    }
