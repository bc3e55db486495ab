import pytest

from catalyse.actors.models import Organisation, Profile, PublicationStatus
from catalyse.actors.services import organisation_create, organisation_update
from catalyse.actors.tests.factories import commune
from catalyse.core import permissions
from catalyse.core.concurrency import ConflictError
from catalyse.territories.models import Level, Territory

pytestmark = pytest.mark.django_db


def test_created_organisation_is_located_from_its_head_office(animator):
    org = organisation_create(name="Base 11/19", profile=Profile.GENERAL_INTEREST, head_office=commune("62528"),
                              created_by=animator)
    assert org.slug == "base-1119"
    assert org.region.name == "Hauts-de-France" and org.departement.code == "62"
    assert org.typology == "periurbain"
    assert org.status == PublicationStatus.PUBLISHED


def test_organisation_proposed_by_a_member_waits_for_moderation(outsider):
    org = organisation_create(name="Tiers-lieu", profile=Profile.COMPANY, created_by=outsider)
    assert org.status == PublicationStatus.PENDING
    assert permissions.can_view(outsider, org)


def test_invalid_identifier_is_refused_with_a_clear_message():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        organisation_create(name="X", profile=Profile.COMPANY, siren="123456789")
    assert "SIREN invalide" in str(err.value)


def test_second_save_from_a_stale_version_is_a_conflict(org):
    first_version = org.version
    organisation_update(org, expected_version=first_version, description="Version A")
    with pytest.raises(ConflictError) as err:
        organisation_update(org, expected_version=first_version, description="Version B")
    assert err.value.current.description == "Version A"


def test_unpublished_organisation_is_hidden_from_outsiders_and_visitors(org, member, outsider):
    from django.contrib.auth.models import AnonymousUser

    from catalyse.actors.models import Organisation

    org.status = PublicationStatus.PENDING
    org.save()
    qs = Organisation.objects.all()
    assert org not in permissions.visible_queryset(AnonymousUser(), qs)
    assert org not in permissions.visible_queryset(outsider, qs)
    assert org in permissions.visible_queryset(member, qs)
    assert not permissions.can_view(outsider, org)
    assert permissions.can_view(member, org)


def test_only_editors_and_animators_edit(org, owner, member, outsider, animator):
    assert permissions.can_edit(owner, org)
    assert permissions.can_edit(animator, org)
    assert not permissions.can_edit(member, org)
    assert not permissions.can_edit(outsider, org)


def test_deleting_a_territory_empties_the_region_and_departement_that_pointed_to_it(org):
    # These columns have no database constraint (imports insert faster): Django's SET_NULL must still apply.
    region = Territory.objects.create(level=Level.REGION, code="99", name="Région disparue")
    departement = Territory.objects.create(level=Level.DEPARTEMENT, code="999", name="Département disparu",
                                           region=region)
    Organisation.objects.filter(pk=org.pk).update(region=region, departement=departement)
    departement.delete()
    region.delete()
    org.refresh_from_db()
    assert (org.region_id, org.departement_id) == (None, None)
