import pytest

from catalyse.events import demo as events_demo
from catalyse.workshops import demo
from catalyse.workshops.models import Board, Card, Vote

pytestmark = pytest.mark.django_db


def test_the_demo_builds_one_closed_board_per_workshop_group_once(territories, client):
    assert demo.load() == "pas de tableau (événement de démonstration absent)"
    events_demo.load()

    assert demo.load() == "4 tableaux d'atelier (4 créés)"
    assert demo.load() == "4 tableaux d'atelier (0 créés)"

    boards = Board.objects.order_by("group_name")
    assert [b.group_name for b in boards] == ["Groupe bleu", "Groupe jaune", "Groupe rouge", "Groupe vert"]
    assert all(not b.is_open and b.session.event.slug == demo.MEETING_SLUG for b in boards)
    assert Card.objects.count() == sum(len(c) for group in demo.GROUPS.values() for c in group)
    assert Vote.objects.count() == sum(v for group in demo.GROUPS.values() for c in group for _, v in c)
    assert not Card.objects.filter(author__display_name__regex=r"^[A-Z]{2,3}$").exists()  # no initials of people
    page = client.get("/ateliers/AQ3X6H/")
    assert page.status_code == 200 and "Groupe bleu" in page.content.decode()
