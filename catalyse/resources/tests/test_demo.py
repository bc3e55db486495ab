import pytest

from catalyse.actors import demo as actors_demo
from catalyse.initiatives import demo as initiatives_demo
from catalyse.resources import demo
from catalyse.resources.models import Collection, Family, Resource, Tool

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_library_and_the_toolbox_once():
    actors_demo.load()
    initiatives_demo.load()
    # 30 in the library, and 3 small documents with files on initiatives (resource lists show files too)
    assert demo.load() == "33 ressources, 5 collections, 14 services de la boîte à outils"
    assert Resource.objects.count() == 33 and Collection.objects.count() == 5
    assert Resource.objects.exclude(file="").values("owner_initiative").distinct().count() == 3
    assert Resource.objects.filter(owner_organisation__slug="le-rameau").exists()
    assert Resource.objects.filter(owner_initiative__slug="transition-de-la-cite-miniere").count() == 3
    assert not Collection.objects.filter(resources=None).exists()  # every collection holds something
    for family in Family.values:
        assert Tool.objects.filter(family=family).count() >= 4, family
    assert Tool.objects.get(slug="localtis").provider.slug == "banque-des-territoires"
    assert demo.load() == "0 ressources, 5 collections, 0 services de la boîte à outils"
    assert Resource.objects.count() == 33


def test_the_2019_annual_meeting_owns_its_report_and_workshop_notes():
    from catalyse.core.registry import demo_loaders
    from catalyse.events import demo as events_demo

    order = [loader.label for loader in demo_loaders()]
    assert order.index("Événements") < order.index("Ressources")  # the meeting exists when resources load
    actors_demo.load()
    initiatives_demo.load()
    events_demo.load()
    demo.load()
    owned = Resource.objects.filter(owner_event__slug=events_demo.MEETING_SLUG)
    assert sorted(owned.values_list("visibility", flat=True)) == ["private", "public", "public"]
    assert "Compte rendu de la Rencontre annuelle des catalyseurs territoriaux 2019" in {r.title for r in owned}
