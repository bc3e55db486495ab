"""Writes of the syntheses: a group's answer to "Qu'avons-nous inventé ensemble ?" in at most three proposals.

Who may write (the board's facilitators, the animators) is the caller's check, through `core.permissions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalyse.accounts.audit import Action, audit_record
from catalyse.actors.models import Organisation
from catalyse.core.concurrency import save_with_version, versioned_update
from catalyse.initiatives.models import Initiative

from .models import Board, Card
from .models_synthesis import MAX_PROPOSALS, QUESTION, Proposal, Synthesis, SynthesisStatus


@dataclass
class ProposalInput:
    text: str
    cards: Sequence[Card] = field(default_factory=list)
    initiatives: Sequence[Initiative] = field(default_factory=list)
    organisations: Sequence[Organisation] = field(default_factory=list)


def _check(board: Board, proposals: Sequence[ProposalInput], publish: bool) -> None:
    if len(proposals) > MAX_PROPOSALS:
        raise ValidationError(f"Une synthèse retient au plus {MAX_PROPOSALS} propositions.")
    if publish and not proposals:
        raise ValidationError("Écrivez au moins une proposition avant de publier la synthèse.")
    for n, proposal in enumerate(proposals, start=1):
        if not proposal.text.strip():
            raise ValidationError(f"La proposition {n} est vide.")
        if len(proposal.text.strip()) > 1000:
            raise ValidationError(f"La proposition {n} dépasse 1 000 caractères.")
        strangers = [card.number for card in proposal.cards if card.board_id != board.pk]
        if strangers:
            raise ValidationError(f"La proposition {n} cite des cartes d'un autre tableau.")


@transaction.atomic
def synthesis_save(
    *,
    board: Board,
    proposals: Sequence[ProposalInput],
    actor,
    question: str = QUESTION,
    publish: bool = False,
    expected_version: int | None = None,
) -> Synthesis:
    """Write the synthesis of `board` (created on its first save): its question, its proposals in order (they
    replace the previous ones) and whether visitors see it. `expected_version` guards against overwriting a
    co-facilitator's edit (ConflictError); None skips the check (demo data)."""
    _check(board, proposals, publish)
    status = SynthesisStatus.PUBLISHED if publish else SynthesisStatus.DRAFT
    synthesis = Synthesis.objects.select_for_update().filter(board=board).first()
    if synthesis is None:
        synthesis = Synthesis(
            board=board,
            question=question.strip() or QUESTION,
            status=status,
            updated_by=actor,
            published_at=timezone.now() if publish else None,
        )
        synthesis.full_clean(exclude=["board"])
        save_with_version(synthesis, expected_version=None)
        audit_record(Action.CREATE, obj=synthesis, actor=actor, changes={"status": status})
    else:
        published_at = synthesis.published_at if synthesis.is_published else None
        if publish and published_at is None:
            published_at = timezone.now()
        versioned_update(
            synthesis,
            expected_version=expected_version,
            fields={
                "question": question.strip() or QUESTION,
                "status": status,
                "updated_by": actor,
                "published_at": published_at,
            },
            actor=actor,
            clean_exclude=["board"],
        )
    synthesis.proposals.all().delete()
    for position, data in enumerate(proposals, start=1):
        proposal = Proposal.objects.create(synthesis=synthesis, position=position, text=data.text.strip())
        proposal.cards.set(data.cards)
        proposal.initiatives.set(data.initiatives)
        proposal.organisations.set(data.organisations)
    return synthesis
