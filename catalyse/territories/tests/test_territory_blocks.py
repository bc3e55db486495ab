import pytest

from catalyse.actors.models import Profile
from catalyse.actors.tests.factories import OrganisationFactory, commune
from catalyse.initiatives.models import Visibility
from catalyse.initiatives.tests.factories import InitiativeFactory
from catalyse.territories.models import Level, Territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loos():
    org = OrganisationFactory(name="Tiers-lieu des Gohelliens", head_office=commune("62528"), profile=Profile.COMPANY)
    public = InitiativeFactory(title="Jardin partagé de Loos")
    public.territories.add(commune("62528"))
    private = InitiativeFactory(title="Projet confidentiel de Loos", visibility=Visibility.PARTNERS)
    private.territories.add(commune("62528"))
    return org


def test_a_commune_page_lists_the_organisations_located_in_it(client, loos):
    html = client.get("/territoires/commune/62528/").content.decode()
    assert "Organisations du territoire" in html
    assert "Tiers-lieu des Gohelliens" in html and loos.get_absolute_url() in html
    assert "?territoire=commune%3A62528" in html  # the filtered directory and bank


def test_a_departement_and_a_region_page_count_it_too_but_not_a_neighbour(client, loos):
    for url in ("/territoires/departement/62/", "/territoires/region/32/", "/territoires/epci/246200364/"):
        html = client.get(url).content.decode()
        assert "1 organisation a son siège" in html, url
        assert "Entreprise" in html and "Tiers-lieu des Gohelliens" in html
    assert "Tiers-lieu des Gohelliens" not in client.get("/territoires/departement/59/").content.decode()


def test_private_initiatives_do_not_show_to_visitors(client, loos):
    html = client.get("/territoires/departement/62/").content.decode()
    assert "Jardin partagé de Loos" in html
    assert "Projet confidentiel de Loos" not in html
    assert "1 initiative concerne ce territoire" in html


def test_blocks_are_registered_by_the_apps_not_named_by_territories():
    from catalyse.territories.blocks import _BLOCKS

    assert {"organisations", "initiatives"} <= set(_BLOCKS)
    assert Territory.objects.filter(level=Level.REGION).exists()


def test_cached_counts_follow_new_organisations_initiatives_and_renames(client, loos):
    """The blocks' counts are shared by visitors under the data versions: a change shows at once."""
    assert "1 organisation a son siège" in client.get("/territoires/region/32/").content.decode()
    OrganisationFactory(name="Ressourcerie de Liévin", head_office=commune("62510"))
    InitiativeFactory(title="Atelier vélo de Liévin").territories.add(commune("62510"))
    loos.name = "Tiers-lieu de la Gohelle"
    loos.save()
    html = client.get("/territoires/region/32/").content.decode()
    assert "2 organisations ont leur siège" in html
    assert "Atelier vélo de Liévin" in html and "Tiers-lieu de la Gohelle" in html
