"""What the syntheses plug into, connected from WorkshopsConfig.ready(): their permission policy and their
search kind.

Visitors see a synthesis once its facilitators publish it, and only while its event (if any) is public; the
board's facilitators (its event's organisers among them) and the animators see drafts and edit.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _

from catalyse.core import permissions
from catalyse.events.models import EventStatus
from catalyse.events.search import organiser_audience
from catalyse.search.documents import BODY_STORED_CHARS, SearchDocument, chunks
from catalyse.search.registry import SearchKind, Watch, register
from catalyse.search.signals import index_objects

from .models import Board
from .models_synthesis import Synthesis, SynthesisStatus
from .permissions import facilitated_q

PUBLIC = Q(status=SynthesisStatus.PUBLISHED) & (Q(board__event=None) | Q(board__event__status=EventStatus.PUBLISHED))


class SynthesisPolicy(permissions.Policy):
    def visible_q(self, user):
        if not permissions.is_member(user):
            return PUBLIC
        return PUBLIC | Q(board__in=Board.objects.filter(facilitated_q(user)).values("pk"))

    def can_edit(self, user, obj: Synthesis) -> bool:
        return permissions.can_edit(user, obj.board)


def syntheses_documents(qs: QuerySet) -> Iterator[SearchDocument]:
    """One document per synthesis: its group, its question and its proposals. Drafts are found by the board's
    facilitators only (its event's organisers among them)."""
    public_ids = set(Synthesis.objects.filter(PUBLIC).values_list("pk", flat=True))
    for rows in chunks(qs, ("pk",), 500):
        items = list(
            Synthesis.objects.filter(pk__in=[r[0] for r in rows])
            .select_related("board__event")
            .prefetch_related("board__facilitators", "proposals")
            .order_by("pk")
        )
        for synthesis in items:
            board = synthesis.board
            insiders = {board.created_by_id, *(u.pk for u in board.facilitators.all())} - {None}
            audience = (
                ["public"]
                if synthesis.pk in public_ids
                else [f"user:{pk}" for pk in sorted(insiders)]
                + (organiser_audience(board.event.created_by_id, board.event.organiser_id) if board.event_id else [])
            )
            title = _("Synthèse : %(group)s") % {"group": board}
            where = board.event.title if board.event_id else ""
            body = "\n".join(p.text for p in synthesis.proposals.all())
            yield SearchDocument(
                kind="synthesis",
                object_id=synthesis.pk,
                title=str(title),
                url=synthesis.get_absolute_url(),
                summary=" · ".join(x for x in (where, synthesis.question) if x),
                body=body[:BODY_STORED_CHARS],
                audience=audience,
                updated_at=synthesis.updated_at,
            )


def _synthesis_of_board(board: Board) -> list[int]:
    return list(Synthesis.objects.filter(board=board).values_list("pk", flat=True))


def _facilitators_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """The facilitators find their drafts: a change of them changes a draft's audience."""
    if action in ("post_add", "post_remove", "post_clear"):
        boards = list(pk_set or ()) if reverse else [instance.pk]
        index_objects("synthesis", Synthesis.objects.filter(board__in=boards).values_list("pk", flat=True))


def connect() -> None:
    permissions.register(Synthesis, SynthesisPolicy())
    register(
        SearchKind(
            "synthesis",
            "workshops.Synthesis",
            syntheses_documents,
            _("Synthèse d'atelier"),
            "💡",
            watches=(
                Watch("workshops.Board", _synthesis_of_board),
                Watch("workshops.Proposal", lambda proposal: [proposal.synthesis_id]),
                Watch(
                    "events.Event",
                    lambda event: Synthesis.objects.filter(board__event=event).values_list("pk", flat=True),
                ),
            ),
        )
    )
    m2m_changed.connect(
        _facilitators_changed, sender=Board.facilitators.through, dispatch_uid="search-synthesis-facilitators"
    )
