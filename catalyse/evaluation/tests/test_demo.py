from django.contrib.auth.models import AnonymousUser

from catalyse.actors import demo as actors_demo
from catalyse.evaluation import demo
from catalyse.evaluation.models import (
    Approach,
    Disaggregation,
    Evidence,
    Framework,
    Indicator,
    IndicatorVersion,
    Measurement,
    MeasurementStatus,
)
from catalyse.evaluation.results import network_results
from catalyse.initiatives import demo as initiatives_demo


def test_demo_frameworks_cover_each_approach_and_load_idempotently(db):
    actors_demo.load()
    initiatives_demo.load()
    demo.load()
    counts = [model.objects.count() for model in (Framework, Indicator, IndicatorVersion, Measurement,
                                                   Disaggregation, Evidence)]
    demo.load()

    assert [model.objects.count() for model in (Framework, Indicator, IndicatorVersion, Measurement,
                                                 Disaggregation, Evidence)] == counts
    assert Framework.objects.count() >= 5
    assert set(Framework.objects.values_list("approach", flat=True)) == set(Approach.values)
    revised = IndicatorVersion.objects.get(number=2)
    assert revised.reason_category and revised.reason_text
    assert revised.measurements.exists() and revised.indicator.versions.get(number=1).measurements.exists()
    returned = Measurement.objects.get(status=MeasurementStatus.RETURNED)
    assert returned.review_note
    assert Measurement.objects.filter(status=MeasurementStatus.APPROVED).count() > 100
    assert Disaggregation.objects.exists() and Evidence.objects.filter(is_public=True).exists()
    assert Indicator.objects.filter(is_public=True).exists() and Indicator.objects.filter(is_public=False).exists()


def test_demo_results_show_on_the_network_dashboard(db):
    actors_demo.load()
    initiatives_demo.load()
    demo.load()

    results = network_results(AnonymousUser())
    assert results.indicators == Indicator.objects.filter(
        is_public=True, initiative__visibility="public", initiative__publication="published").count() > 0
