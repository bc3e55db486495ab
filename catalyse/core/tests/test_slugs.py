import pytest

from catalyse.actors.models import Organisation
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.core.slugs import unique_slug, unique_slugs

pytestmark = pytest.mark.django_db


def test_slugs_never_take_the_name_of_a_page_below_the_listing():
    assert unique_slug(Organisation, "Nouvelle") == "nouvelle-2"
    assert unique_slugs(Organisation, ["Import", "Doublons", "Alliance"]) == ["import-2", "doublons-2", "alliance"]


def test_taken_slugs_get_the_next_number():
    OrganisationFactory(slug="alliance")
    OrganisationFactory(slug="alliance-2")
    assert unique_slug(Organisation, "Alliance") == "alliance-3"
    assert unique_slugs(Organisation, ["Alliance", "Alliance"]) == ["alliance-3", "alliance-4"]
