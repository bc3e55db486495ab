"""Boards are seen by anyone with their address or code (a room's wall); their facilitators run them.

Facilitators need an account: the board's creator, the people it names, and the network's animators (core).
Participants write cards and votes through their participant token, not through this module.
"""

from catalyse.core import permissions

from .models import Board


class BoardPolicy(permissions.Policy):
    def can_edit(self, user, obj: Board) -> bool:
        return obj.created_by_id == user.pk or obj.facilitators.filter(pk=user.pk).exists()

    def object_roles(self, user, obj: Board) -> set[str]:
        return {"facilitator"} if permissions.is_member(user) and self.can_edit(user, obj) else set()


permissions.register(Board, BoardPolicy())
