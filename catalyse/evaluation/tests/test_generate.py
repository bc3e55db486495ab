"""`catalyse generate --evaluations N`: frameworks for N generated initiatives, counted in the network dashboard."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F

from catalyse.evaluation.models import Framework, Indicator, IndicatorVersion, Measurement, ResultCount
from catalyse.evaluation.queries import indicator_progress
from catalyse.evaluation.results import network_results, results_rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(territories):
    call_command("generate", organisations=60, initiatives=12, evaluations=10, seed=3, verbosity=0)


def counts():
    return Counter({(r.audience, r.dimension, r.key, r.status): r.count for r in ResultCount.objects.exclude(count=0)})


def test_generated_frameworks_have_indicators_with_definitions_and_measurements(generated):
    assert Framework.objects.count() == 10
    assert 10 <= Indicator.objects.count() <= 30
    for indicator in Indicator.objects.all():
        assert indicator.versions.filter(number=indicator.current_version).exists()
        indicator_progress(indicator, indicator.created_at.date())  # a valid definition: progress computes
    assert Measurement.objects.filter(status="approved").exists()
    assert not Measurement.objects.exclude(version__indicator=F("indicator")).exists()


def test_the_network_dashboard_counts_the_generated_frameworks_as_a_rebuild_would(generated):
    before = counts()
    assert network_results(None).indicators > 0
    results_rebuild()
    assert counts() == before


def test_clear_removes_the_generated_frameworks_and_their_counts(generated):
    call_command("generate", clear=True, verbosity=0)
    assert not Framework.objects.exists() and not IndicatorVersion.objects.exists() and not counts()
