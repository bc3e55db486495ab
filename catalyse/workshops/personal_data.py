"""What the workshop boards hold about a signed-in person, for their GDPR export: the boards they joined, the
name they gave there, their cards and votes (anonymous participants are known by a cookie only), the syntheses
they last edited; and what deleting the account erases (a synthesis stays: the group's work)."""

from collections.abc import Iterable
from typing import Any

from . import services
from .models import Participant
from .models_synthesis import Synthesis


def participations(user) -> tuple[Any, Iterable]:
    rows = []
    for p in Participant.objects.filter(user=user).select_related("board", "organisation").order_by("pk"):
        rows.append(
            {
                "board": p.board.code,
                "title": p.board.title,
                "display_name": p.display_name,
                "organisation": p.organisation.name if p.organisation_id else p.organisation_label,
                "show_as": p.show_as,
                "joined_at": p.created_at.isoformat(),
                "cards": [
                    {"number": c.number, "text": c.text, "created_at": c.created_at.isoformat()}
                    for c in p.cards.order_by("number")
                ],
                "votes": [v.card.number for v in p.votes.select_related("card").order_by("card__number")],
            }
        )
    return rows, []


def syntheses_edited(user) -> tuple[Any, Iterable]:
    rows = [
        {"board": s.board.code, "title": s.board.title, "status": s.status, "updated_at": s.updated_at.isoformat(),
         "proposals": [p.text for p in s.proposals.order_by("position")]}
        for s in Synthesis.objects.filter(updated_by=user).select_related("board").order_by("pk")
    ]
    return rows, []


def participations_erase(user) -> None:
    """On account deletion the cards stay (contributions of a collective workshop), signed "Ancien membre"; the
    name given on the boards and the link to the account go, and the old participant cookies stop working."""
    for participant in Participant.objects.filter(user=user):
        services.participant_anonymise(participant)
