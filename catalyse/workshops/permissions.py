"""Boards are seen by anyone with their address or code (a room's wall); their facilitators run them.

Facilitators need an account: the board's creator, the people it names, the organisers of the board's event
(events.permissions: they run the boards of their programme's sessions) and the network's animators (core).
Participants write cards and votes through their participant token, not through this module.
"""

from django.db.models import Q

from catalyse.core import permissions
from catalyse.events.permissions import organiser_q

from .models import Board


def facilitated_q(user, prefix: str = "") -> Q:
    """Boards `user` facilitates, as a filter (`prefix`: the path to the board, e.g. "board__"); for a signed-in
    member (animators facilitate every board: the permission module lets them through)."""
    return (
        Q(**{f"{prefix}created_by": user})
        | Q(**{f"{prefix}facilitators": user})
        | organiser_q(user, prefix=f"{prefix}event__")
    )


class BoardPolicy(permissions.Policy):
    def can_edit(self, user, obj: Board) -> bool:
        return obj.created_by_id == user.pk or Board.objects.filter(facilitated_q(user), pk=obj.pk).exists()

    def object_roles(self, user, obj: Board) -> set[str]:
        return {"facilitator"} if permissions.is_member(user) and self.can_edit(user, obj) else set()


permissions.register(Board, BoardPolicy())
