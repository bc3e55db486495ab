import pytest

from catalyse.actors.services import organisation_update
from catalyse.actors.tests.factories import OrganisationFactory, commune

pytestmark = pytest.mark.django_db


def test_an_organisation_without_a_point_sits_at_its_head_office_centroid():
    org = OrganisationFactory(head_office=commune("62528"))
    loos = commune("62528")
    assert (org.latitude, org.longitude) == (loos.latitude, loos.longitude)


def test_a_derived_point_follows_the_head_office_when_it_moves():
    org = OrganisationFactory(head_office=commune("62528"))
    organisation_update(org, head_office=commune("59350"))  # Lille
    lille = commune("59350")
    assert (org.latitude, org.longitude) == (lille.latitude, lille.longitude)


def test_an_explicit_point_is_never_overwritten():
    org = OrganisationFactory(head_office=commune("62528"), latitude=50.43, longitude=2.83)
    assert (org.latitude, org.longitude) == (50.43, 2.83)
    organisation_update(org, head_office=commune("59350"))
    assert (org.latitude, org.longitude) == (50.43, 2.83)
