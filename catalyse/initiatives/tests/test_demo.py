from catalyse.actors import demo as actors_demo
from catalyse.initiatives import demo
from catalyse.initiatives.models import Initiative, PracticeSheet


def test_demo_loads_twenty_report_initiatives_and_fictitious_ones_idempotently(db):
    actors_demo.load()
    demo.load()
    counts = (Initiative.objects.count(), PracticeSheet.objects.count())
    demo.load()
    assert (Initiative.objects.count(), PracticeSheet.objects.count()) == counts
    assert Initiative.objects.filter(is_fictitious=False).count() >= 20
    assert Initiative.objects.filter(is_fictitious=True).exists()
    mining = Initiative.objects.get(slug="transition-de-la-cite-miniere")
    assert mining.partnerships.filter(organisation__slug="ville-de-loos-en-gohelle", role="porteur").exists()
    assert mining.sheets.exists() and mining.territories.filter(code="62528").exists()
