import pytest

from catalyse.accounts.tests.factories import UserFactory
from catalyse.actors.duplicate_detection import duplicate_pairs
from catalyse.actors.models import Membership, MembershipRole, MergeRecord, Organisation, Trade
from catalyse.actors.queries import organisation_redirect_slug
from catalyse.actors.services import duplicate_dismiss, organisation_merge
from catalyse.territories.models import Territory

from .factories import MembershipFactory, OrganisationFactory, commune
from .import_helpers import siret

pytestmark = pytest.mark.django_db


def test_same_siren_is_a_likely_duplicate():
    a = OrganisationFactory(siren=siret(1)[:9], siret=siret(1))
    b = OrganisationFactory(siren=siret(1)[:9])
    pairs = duplicate_pairs()
    assert [(p.first, p.second, p.score) for p in pairs] == [(a, b, 100)]


def test_similar_names_in_the_same_commune_are_likely_duplicates():
    a = OrganisationFactory(name="Les Amis du Terril")
    b = OrganisationFactory(name="AMIS DU TERRIL (LES)")
    OrganisationFactory(name="Les Amis du Terril", head_office=commune("59350"))
    OrganisationFactory(name="Tiers-lieu de la gare")
    pairs = duplicate_pairs()
    assert [(p.first, p.second) for p in pairs] == [(a, b)]
    assert "commune" in pairs[0].reason


def test_homonyms_with_different_rna_numbers_are_not_duplicates():
    OrganisationFactory(name="Comité des fêtes", rna="W623000001")
    OrganisationFactory(name="Comite des fetes", rna="W623000002")
    assert duplicate_pairs() == []


def test_dismissed_pairs_are_no_longer_proposed():
    a = OrganisationFactory(name="Alliance")
    b = OrganisationFactory(name="Alliance")
    duplicate_dismiss(first=b, second=a)
    assert duplicate_pairs() == []


def test_large_communes_are_compared_within_blocks(monkeypatch):
    monkeypatch.setattr("catalyse.actors.duplicate_detection.FULL_COMPARISON_MAX", 2)
    a = OrganisationFactory(name="Association Jardin partagé")
    b = OrganisationFactory(name="Jardin partage")
    OrganisationFactory(name="Maison des services")
    assert [(p.first, p.second) for p in duplicate_pairs()] == [(a, b)]


def test_merge_keeps_every_link_and_fills_missing_values(animator):
    keep = OrganisationFactory(name="Alliance", website="")
    remove = OrganisationFactory(name="Alliance bis", website="https://alliance.example", rna="W623000009",
                                 is_catalyst=True)
    keep.is_catalyst = False
    keep.save()
    both = UserFactory()
    MembershipFactory(organisation=keep, user=both)
    MembershipFactory(organisation=remove, user=both, role=MembershipRole.EDITOR)
    only_removed = MembershipFactory(organisation=remove).user
    trades = list(Trade.objects.all()[:2])
    keep.trades.set(trades[:1])
    remove.trades.set(trades)
    remove.territories.set([Territory.objects.get(level="departement", code="62")])
    earlier = MergeRecord.objects.create(kept=remove, removed_id=999, removed_slug="ancienne", removed_name="Old")

    record = organisation_merge(keep=keep, remove=remove, merged_by=animator,
                                carried_user_ids=[both.pk, only_removed.pk])

    keep.refresh_from_db()
    assert not Organisation.objects.filter(pk=remove.pk).exists()
    assert set(keep.trades.all()) == set(trades)
    assert list(keep.territories.values_list("code", flat=True)) == ["62"]
    assert Membership.objects.get(organisation=keep, user=both).role == MembershipRole.EDITOR
    assert Membership.objects.filter(organisation=keep, user=only_removed).exists()
    assert keep.website == "https://alliance.example" and keep.rna == "W623000009" and keep.is_catalyst
    assert record.removed_slug == remove.slug and record.merged_by == animator
    assert record.snapshot["fields"]["name"] == "Alliance bis"
    assert record.snapshot["links_moved"]["actors.Membership"] == 1
    earlier.refresh_from_db()
    assert earlier.kept == keep


def test_old_slug_redirects_to_the_kept_organisation_through_chained_merges():
    a, b, c = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    old_a = a.slug
    organisation_merge(keep=b, remove=a)
    organisation_merge(keep=c, remove=b)
    assert organisation_redirect_slug(old_a) == c.slug
    assert organisation_redirect_slug("inconnue") is None


def test_an_organisation_cannot_be_merged_into_itself(org):
    with pytest.raises(ValueError):
        organisation_merge(keep=org, remove=org)
