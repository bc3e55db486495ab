import pytest

from catalyse.territories.loader import territories_load
from catalyse.territories.models import Kind, Level, Territory, Typology, Zone

pytestmark = pytest.mark.django_db


def test_referential_has_exact_counts_per_level():
    current = Territory.objects.filter(kind=Kind.CURRENT)
    assert current.filter(level=Level.REGION).count() == 26
    assert current.filter(level=Level.DEPARTEMENT).count() == 109
    assert current.filter(level=Level.EPCI).count() == 1255
    assert current.filter(level=Level.COMMUNE).count() == 34969


def test_former_communes_and_arrondissements_are_linked_to_their_parent():
    former = Territory.objects.exclude(kind=Kind.CURRENT)
    assert former.filter(kind=Kind.DELEGATED).count() == 2105
    assert former.filter(kind=Kind.ASSOCIATED).count() == 471
    assert former.filter(kind=Kind.ARRONDISSEMENT).count() == 45
    assert not former.filter(parent_commune__isnull=True).exists()
    lyon_1er = Territory.objects.get(level=Level.COMMUNE, kind=Kind.ARRONDISSEMENT, code="69381")
    assert lyon_1er.parent_commune.name == "Lyon"


def test_loos_en_gohelle_sits_in_its_epci_departement_and_region():
    loos = Territory.objects.get(level=Level.COMMUNE, kind=Kind.CURRENT, code="62528")
    assert loos.name == "Loos-en-Gohelle"
    assert loos.postal_codes == "62750"
    assert loos.population == 6799
    assert loos.siren == "216205286"
    assert loos.departement.code == "62" and loos.departement.name == "Pas-de-Calais"
    assert loos.region.code == "32" and loos.region.name == "Hauts-de-France"
    assert loos.epci.name == "CA de Lens - Liévin"
    assert loos.epci.epci_type == "CA"
    assert [t.level for t in loos.ancestors()] == [Level.REGION, Level.DEPARTEMENT, Level.EPCI]


def test_overseas_regions_are_loaded_with_their_zone():
    overseas = dict(
        Territory.objects.filter(level=Level.REGION).exclude(zone=Zone.METRO).values_list("code", "zone")
    )
    assert {"01", "02", "03", "04", "06"} <= set(overseas)  # Guadeloupe, Martinique, Guyane, La Réunion, Mayotte
    assert all(overseas[c] == Zone.DROM for c in ("01", "02", "03", "04", "06"))
    assert Zone.COM in overseas.values()
    saint_denis = Territory.objects.get(level=Level.COMMUNE, kind=Kind.CURRENT, code="97411")
    assert saint_denis.region.name == "La Réunion"
    assert saint_denis.typology == Typology.OUTRE_MER


def test_second_load_changes_nothing():
    report = territories_load()
    assert not report.changed
    assert sum(report.unchanged.values()) == Territory.objects.count()


def test_reload_repairs_a_modified_row_and_keeps_overrides():
    loos = Territory.objects.get(level=Level.COMMUNE, kind=Kind.CURRENT, code="62528")
    Territory.objects.filter(pk=loos.pk).update(name="Altéré", population=1, typology_override=Typology.URBAIN)
    report = territories_load()
    assert report.updated[Level.COMMUNE] == 1 and report.changed
    loos.refresh_from_db()
    assert loos.name == "Loos-en-Gohelle" and loos.population == 6799
    assert loos.typology == Typology.URBAIN  # the manual override survives a reload


def test_an_epci_spanning_departements_is_filed_under_its_main_departement():
    from catalyse.territories.queries import epci_departements

    spanning = [
        e for e in Territory.objects.filter(level=Level.EPCI)[:2000] if epci_departements(e).count() > 1
    ]
    assert spanning, "the referential has EPCI across départements"
    epci = spanning[0]
    assert epci.departement in list(epci_departements(epci))
