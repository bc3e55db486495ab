import time

import pytest

from catalyse.observatory import demo
from catalyse.observatory.models import Indicator, IndicatorValue
from catalyse.territories.models import Kind, Level, Territory

pytestmark = pytest.mark.django_db


def test_demo_gives_every_commune_a_value_of_each_indicator_and_aggregates_them():
    started = time.perf_counter()
    demo.load()
    elapsed = time.perf_counter() - started
    communes = Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT).count()
    assert Indicator.objects.filter(is_demo=True).count() >= 6
    for indicator in Indicator.objects.all():
        assert IndicatorValue.objects.filter(indicator=indicator, level=Level.COMMUNE).count() == communes
        assert IndicatorValue.objects.filter(indicator=indicator, level=Level.REGION, computed=True).count() == \
            Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT, population__gt=0)\
            .values("region").distinct().count()
    print(f"demo load: {elapsed:.1f} s for {communes} communes")
    assert "0 valeurs" in demo.load()  # second run: nothing rewritten


def test_demo_values_are_deterministic_and_follow_the_typology():
    spec = demo.INDICATORS[0]
    assert demo.demo_value(spec, "62528", "urbain", 7000) == demo.demo_value(spec, "62528", "urbain", 7000)
    rural = [demo.demo_value(demo.INDICATORS[2], f"{i:05d}", "rural", 300) for i in range(200)]
    urban = [demo.demo_value(demo.INDICATORS[2], f"{i:05d}", "metropole", 300_000) for i in range(200)]
    assert sum(rural) / 200 > 3 * sum(urban) / 200  # access to services takes longer in the countryside
