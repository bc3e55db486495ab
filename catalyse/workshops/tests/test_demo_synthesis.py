import pytest
from django.urls import reverse

from catalyse.events import demo as events_demo
from catalyse.workshops import demo, demo_synthesis
from catalyse.workshops.models_synthesis import Proposal, Synthesis

pytestmark = pytest.mark.django_db


def test_the_demo_gives_each_2019_group_three_published_proposals_once(territories, client, pdf_text):
    assert demo_synthesis.load() == "0 synthèse (rencontre de démonstration absente)"
    events_demo.load()
    demo.load()

    assert demo_synthesis.load() == "4 synthèses (4 créées)"
    assert demo_synthesis.load() == "4 synthèses (0 créées)"

    syntheses = Synthesis.objects.order_by("board__group_name")
    assert [s.board.group_name for s in syntheses] == ["Groupe bleu", "Groupe jaune", "Groupe rouge", "Groupe vert"]
    assert all(s.is_published and s.proposals.count() == 3 for s in syntheses)
    # Proposals lean on their own board's cards.
    proposals = list(Proposal.objects.select_related("synthesis").prefetch_related("cards"))
    assert sum(1 for p in proposals if p.cards.all()) >= 8
    assert all(card.board_id == p.synthesis.board_id for p in proposals for card in p.cards.all())

    response = client.get(reverse("syntheses:event_pdf", args=[demo_synthesis.MEETING_SLUG]))
    text = pdf_text(b"".join(response.streaming_content))
    assert all(" ".join(p.text.split()[:4]) in " ".join(text.split()) for p in proposals)
