from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from catalyse.actors.generate import luhn_complete
from catalyse.actors.models import Organisation, PublicationStatus, Scope, Source
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.actors.validators import is_valid_rna, is_valid_siren, is_valid_siret
from catalyse.initiatives.models import Initiative, Partnership, Role, Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    call_command("generate", organisations=300, initiatives=50, seed=7, verbosity=0)
    return Organisation.objects.filter(source=Source.GENERATED)


def test_luhn_complete_makes_valid_siren_and_siret():
    assert is_valid_siren(luhn_complete("73282932"))
    assert luhn_complete("73282932") == "732829320"  # a real, published SIREN
    assert is_valid_siret(luhn_complete("7328293200001"))


def test_generated_organisations_are_fictitious_with_valid_unique_identifiers(generated):
    assert generated.count() == 300
    assert not generated.filter(is_fictitious=False).exists()
    sirens = [s for s in generated.values_list("siren", flat=True) if s]
    sirets = [s for s in generated.values_list("siret", flat=True) if s]
    rnas = [s for s in generated.values_list("rna", flat=True) if s]
    assert sirens and sirets and rnas
    assert all(map(is_valid_siren, sirens)) and len(set(sirens)) == len(sirens)
    assert all(map(is_valid_siret, sirets)) and len(set(sirets)) == len(sirets)
    assert all(map(is_valid_rna, rnas)) and len(set(rnas)) == len(rnas)
    for org in generated.exclude(siret="")[:20]:
        assert org.siret.startswith(org.siren)


def test_generated_slugs_are_unique_and_do_not_clash_with_existing_ones():
    OrganisationFactory(name="Université de Paris", slug="universite-de-paris")
    call_command("generate", organisations=300, seed=3, verbosity=0)
    slugs = list(Organisation.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 301


def test_generated_organisations_are_mostly_published_and_spread_over_france(generated):
    statuses = Counter(generated.values_list("status", flat=True))
    assert statuses[PublicationStatus.PUBLISHED] > 0.8 * 300
    assert statuses[PublicationStatus.PENDING] + statuses[PublicationStatus.DRAFT] > 0
    assert generated.values("region").distinct().count() >= 8
    assert 0.2 < generated.filter(scope=Scope.NATIONAL).count() / 300 < 0.45
    assert not generated.filter(head_office__isnull=True).exists()
    assert not generated.exclude(region=None).exclude(region__level="region").exists()
    assert Organisation.trades.through.objects.filter(organisation__in=generated).count() >= 300


def test_generated_initiatives_have_a_carrier_among_two_to_six_partners(generated):
    initiatives = Initiative.objects.filter(is_fictitious=True)
    assert initiatives.count() == 50
    for initiative in initiatives.prefetch_related("partnerships")[:20]:
        partners = list(initiative.partnerships.all())
        assert 2 <= len(partners) <= 6
        assert [p.role for p in partners].count(Role.PORTEUR) == 1
        assert all(p.left_on is None or p.joined_on is None or p.left_on >= p.joined_on for p in partners)
        assert initiative.recit and initiative.themes.exists() and initiative.sdgs.exists()
        assert initiative.stage_changes.last().stage == initiative.stage
    assert initiatives.filter(visibility=Visibility.PUBLIC).count() > 0.6 * 50
    assert not Partnership.objects.exclude(organisation__status=PublicationStatus.PUBLISHED).exists()


def test_rerunning_with_clear_gives_the_same_counts(generated):
    before = (generated.count(), Initiative.objects.count(), Partnership.objects.count(),
              Organisation.trades.through.objects.count())
    call_command("generate", organisations=300, initiatives=50, seed=7, clear=True, verbosity=0)
    after = (generated.count(), Initiative.objects.count(), Partnership.objects.count(),
             Organisation.trades.through.objects.count())
    assert after == before


def test_clear_keeps_organisations_that_were_not_generated(generated):
    kept = OrganisationFactory()
    call_command("generate", clear=True, verbosity=0)
    assert list(Organisation.objects.all()) == [kept]
    assert not Initiative.objects.exists()


def test_negative_counts_are_refused():
    with pytest.raises(CommandError):
        call_command("generate", organisations=-1, verbosity=0)
