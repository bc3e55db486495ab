from catalyse.accounts.tests.factories import UserFactory
from catalyse.workshops import services
from catalyse.workshops.models import Board, Participant


def board(*, title: str = "Outils numériques", facilitator=None, **options) -> Board:
    return services.board_create(title=title, created_by=facilitator or UserFactory(), **options)


def participant(board: Board, name: str = "A.B.", **options) -> Participant:
    return services.participant_join(board=board, display_name=name, **options)
