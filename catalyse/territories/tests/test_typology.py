import pytest

from catalyse.territories.models import EpciType, Kind, Level, Territory, Typology, Zone
from catalyse.territories.typology import commune_typology, epci_typology


@pytest.mark.parametrize(
    ("zone", "population", "epci_type", "expected"),
    [
        (Zone.DROM, 150_000, EpciType.CA, Typology.OUTRE_MER),
        (Zone.COM, 500, None, Typology.OUTRE_MER),
        (Zone.METRO, 800, EpciType.METRO, Typology.METROPOLE),
        (Zone.METRO, 500_000, EpciType.MET69, Typology.METROPOLE),
        (Zone.METRO, 60_000, EpciType.CA, Typology.URBAIN),
        (Zone.METRO, 12_000, EpciType.CU, Typology.URBAIN),
        (Zone.METRO, 12_000, EpciType.CA, Typology.VILLE_MOYENNE),
        (Zone.METRO, 10_000, EpciType.CC, Typology.VILLE_MOYENNE),
        (Zone.METRO, 9_999, EpciType.CA, Typology.PERIURBAIN),
        (Zone.METRO, 3_000, EpciType.CU, Typology.PERIURBAIN),
        (Zone.METRO, 9_999, EpciType.CC, Typology.RURAL),
        (Zone.METRO, 200, None, Typology.RURAL),
        (Zone.METRO, None, EpciType.CC, Typology.RURAL),
    ],
)
def test_commune_typology_rules(zone, population, epci_type, expected):
    assert commune_typology(zone=zone, population=population, epci_type=epci_type) == expected


@pytest.mark.parametrize(
    ("zone", "population", "epci_type", "largest", "expected"),
    [
        (Zone.DROM, 100_000, EpciType.CA, 50_000, Typology.OUTRE_MER),
        (Zone.METRO, 400_000, EpciType.METRO, 200_000, Typology.METROPOLE),
        (Zone.METRO, 100_000, EpciType.CU, 40_000, Typology.URBAIN),
        (Zone.METRO, 260_000, EpciType.CA, 90_000, Typology.URBAIN),
        (Zone.METRO, 120_000, EpciType.CA, 40_000, Typology.VILLE_MOYENNE),
        (Zone.METRO, 30_000, EpciType.CC, 11_000, Typology.VILLE_MOYENNE),
        (Zone.METRO, 15_000, EpciType.CC, 3_000, Typology.RURAL),
    ],
)
def test_epci_typology_rules(zone, population, epci_type, largest, expected):
    assert epci_typology(zone=zone, population=population, epci_type=epci_type, largest_commune=largest) == expected


@pytest.mark.django_db
def test_every_current_commune_and_epci_has_a_typology():
    missing = Territory.objects.filter(level__in=[Level.COMMUNE, Level.EPCI], kind=Kind.CURRENT, typology_computed="")
    assert not missing.exists()


@pytest.mark.django_db
def test_typology_of_known_places():
    def typology(code):
        return Territory.objects.get(level=Level.COMMUNE, kind=Kind.CURRENT, code=code).typology

    assert typology("62528") == Typology.PERIURBAIN  # Loos-en-Gohelle, 6.8k inhabitants in the CA de Lens-Liévin
    assert typology("69123") == Typology.METROPOLE  # Lyon
    assert typology("97411") == Typology.OUTRE_MER  # Saint-Denis de La Réunion
