"""The network dashboard counts only published indicators of the initiatives the viewer may see, and every write
that changes them changes it (the counts are pre-aggregated)."""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse

from catalyse.actors.models import Profile
from catalyse.evaluation import services
from catalyse.evaluation.models import ImpactFamily, ResultCount
from catalyse.evaluation.results import network_results, results_rebuild
from catalyse.initiatives.models import Theme, Visibility
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

from .conftest import approved, make_indicator

pytestmark = pytest.mark.django_db
D = dt.date


def by_status(results, dimension, label):
    table = next(rows for d, _title, rows in results.tables if d == dimension)
    return dict(table).get(label, {})


@pytest.fixture
def published(initiative):
    indicator = make_indicator(initiative, name="Jeunes accompagnés", is_public=True,
                               impact_family=ImpactFamily.CONFIANCE)
    approved(indicator, D(2024, 1, 21), value=30)  # expected 30 on that day: on track
    return indicator


def test_a_visitor_sees_published_indicators_of_public_initiatives(client, initiative, published):
    make_indicator(initiative, name="Budget interne", is_public=False)
    results = network_results(None)
    assert (results.initiatives, results.indicators) == (1, 1)
    assert results.by_status["on_track"] == 1
    assert by_status(results, "family", "Confiance")["on_track"] == 1
    profile = Profile(initiative.partnerships.get().organisation.profile).label
    assert by_status(results, "profile", profile)["on_track"] == 1
    response = client.get(reverse("evaluation_network"))
    assert response.status_code == 200 and "Confiance" in response.content.decode()


def test_a_partners_only_initiative_counts_for_its_partners_and_animators_not_for_others(
        initiative, published, member, outsider, animator):
    hidden = InitiativeFactory(visibility=Visibility.PARTNERS)
    PartnershipFactory(initiative=hidden, organisation=initiative.partnerships.get().organisation)
    approved(make_indicator(hidden, name="Caché", is_public=True), D(2024, 1, 5), value=1)
    assert network_results(None).indicators == 1
    assert network_results(outsider).indicators == 1
    assert network_results(member).indicators == 2
    assert network_results(animator).indicators == 2


def test_members_only_initiatives_count_for_members(initiative, published, outsider):
    members_only = InitiativeFactory(visibility=Visibility.MEMBERS)
    make_indicator(members_only, name="Réservé", is_public=True)
    assert network_results(None).indicators == 1 and network_results(outsider).indicators == 2


def test_each_write_changes_the_dashboard(initiative, published):
    second = make_indicator(initiative, name="Bénévoles", is_public=False)
    assert network_results(None).indicators == 1
    services.indicator_update(second, is_public=True)  # published
    assert network_results(None).by_status == {"ahead": 0, "on_track": 1, "behind": 0, "no_data": 1}
    approved(second, D(2024, 1, 21), value=5)  # approved: 5 against 30 expected → behind
    assert network_results(None).by_status == {"ahead": 0, "on_track": 1, "behind": 1, "no_data": 0}
    services.indicator_update(second, targets=[{"date": "2024-01-31", "value": 6}],  # expected 4: ahead
                              reason_category="budget", reason_text="Moins de moyens.")
    assert network_results(None).by_status["ahead"] == 1
    theme = Theme.objects.create(code="essai-evaluation", name="Thème d'essai")
    initiative.themes.add(theme)  # the initiatives app writes, the counts follow
    assert by_status(network_results(None), "theme", "Thème d'essai") == {"ahead": 1, "on_track": 1, "behind": 0,
                                                                    "no_data": 0}
    initiative.visibility = Visibility.PARTNERS
    initiative.save()
    assert network_results(None).indicators == 0
    assert not ResultCount.objects.filter(audience="public").exclude(count=0).exists()


def test_the_incremental_counts_equal_a_rebuild(initiative, published):
    other = InitiativeFactory()
    PartnershipFactory(initiative=other)
    approved(make_indicator(other, name="Autre", is_public=True), D(2024, 1, 30), value=60)
    services.indicator_update(published, is_public=False)
    counts = Counter({(r.audience, r.dimension, r.key, r.status): r.count
                      for r in ResultCount.objects.exclude(count=0)})
    assert results_rebuild() == 1
    assert counts == Counter({(r.audience, r.dimension, r.key, r.status): r.count
                              for r in ResultCount.objects.all()})
