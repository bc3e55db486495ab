import pytest

from catalyse.actors import demo
from catalyse.actors.models import Organisation, Profile, Trade
from catalyse.territories.models import Zone

pytestmark = pytest.mark.django_db


def test_demo_covers_every_profile_and_trade_in_ten_regions_including_overseas():
    demo.load()
    orgs = Organisation.objects.all()
    assert orgs.count() >= 40
    assert set(orgs.values_list("profile", flat=True)) == set(Profile.values)
    assert set(Trade.objects.filter(organisations__isnull=False).values_list("code", flat=True)) == set(
        Trade.objects.values_list("code", flat=True))
    assert orgs.values("region").distinct().count() >= 10
    assert orgs.filter(region__zone=Zone.DROM).values("region").distinct().count() >= 2


def test_every_demo_head_office_and_territory_exists():
    demo.load()
    for slug, _name, _p, _s, office, _t, _c, territories, *_ in demo.ORGANISATIONS:
        org = Organisation.objects.get(slug=slug)
        assert org.head_office is not None and org.head_office.code == office, slug
        assert org.territories.count() == len(territories), slug


def test_fictitious_demo_organisations_say_so_in_their_name():
    demo.load()
    for org in Organisation.objects.filter(is_fictitious=True):
        assert "(fictif)" in org.name
    assert Organisation.objects.filter(is_fictitious=False).exists()


def test_loading_the_demo_twice_changes_nothing():
    demo.load()
    before = sorted(Organisation.objects.values_list("slug", "name", "profile", "region_id"))
    assert "(0 créées)" in demo.load()
    assert sorted(Organisation.objects.values_list("slug", "name", "profile", "region_id")) == before
