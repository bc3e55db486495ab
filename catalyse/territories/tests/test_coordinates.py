import pytest

from catalyse.territories.models import Kind, Level, Territory, Zone

pytestmark = pytest.mark.django_db


def test_almost_every_current_commune_has_a_point():
    communes = Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT)
    located = communes.filter(latitude__isnull=False, longitude__isnull=False)
    assert located.count() >= 34_800
    # Every commune of metropolitan France and of the five overseas départements is located.
    assert not communes.filter(latitude__isnull=True).exclude(zone=Zone.COM).exists()


def test_commune_points_fall_inside_their_departement():
    loos = Territory.objects.get(level=Level.COMMUNE, kind=Kind.CURRENT, code="62528")
    assert loos.latitude == pytest.approx(50.457, abs=0.02) and loos.longitude == pytest.approx(2.786, abs=0.02)
    saint_denis = Territory.objects.get(level=Level.COMMUNE, kind=Kind.CURRENT, code="97411")
    assert -21.2 < saint_denis.latitude < -20.8 and 55.2 < saint_denis.longitude < 55.6


def test_departements_regions_and_epci_get_the_mean_point_of_their_communes():
    for level in (Level.REGION, Level.DEPARTEMENT, Level.EPCI):
        assert not Territory.objects.filter(level=level, latitude__isnull=True).exclude(zone=Zone.COM).exists()
    paris = Territory.objects.get(level=Level.DEPARTEMENT, code="75")
    assert paris.latitude == pytest.approx(48.857, abs=0.03) and paris.longitude == pytest.approx(2.35, abs=0.03)
    corse_du_sud = Territory.objects.get(level=Level.DEPARTEMENT, code="2A")
    assert 41.3 < corse_du_sud.latitude < 42.4 and 8.5 < corse_du_sud.longitude < 9.6
