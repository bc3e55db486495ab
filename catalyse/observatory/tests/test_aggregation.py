import pytest

from catalyse.observatory.aggregation import aggregate
from catalyse.observatory.models import Aggregation, IndicatorValue, ValueStatus
from catalyse.territories.models import Level, Territory

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def _territory(level, code, population=None, **parents):
    return Territory.objects.create(level=level, code=code, name=code, search_name=code.lower(),
                                    population=population, **parents)


@pytest.fixture
def tiny():
    """A région of two départements; the first has an EPCI of two communes, the second one commune."""
    r = _territory(Level.REGION, "R9")
    d1, d2 = _territory(Level.DEPARTEMENT, "D91", region=r), _territory(Level.DEPARTEMENT, "D92", region=r)
    e = _territory(Level.EPCI, "E9", region=r, departement=d1)
    a = _territory(Level.COMMUNE, "C9001", 100, region=r, departement=d1, epci=e)
    b = _territory(Level.COMMUNE, "C9002", 300, region=r, departement=d1, epci=e)
    c = _territory(Level.COMMUNE, "C9003", 600, region=r, departement=d2)
    s = _territory(Level.COMMUNE, "C9004", 5000, region=r, departement=d2)  # secret value: left out
    return {"r": r, "d1": d1, "d2": d2, "e": e, "a": a, "b": b, "c": c, "s": s}


def _set(indicator, t, year, value, status=ValueStatus.OK):
    IndicatorValue.objects.create(indicator=indicator, territory=t, level=t.level, year=year, value=value,
                                  status=status)


def _value(indicator, t, year=2021):
    return IndicatorValue.objects.get(indicator=indicator, territory=t, year=year)


def test_counts_are_summed_and_rates_weighted_by_population(tiny):
    count = IndicatorFactory(kind=Aggregation.COUNT)
    rate = IndicatorFactory(kind=Aggregation.RATE)
    for t, n, pct in ((tiny["a"], 10, 10.0), (tiny["b"], 30, 20.0), (tiny["c"], 60, 5.0)):
        _set(count, t, 2021, n)
        _set(rate, t, 2021, pct)
    _set(count, tiny["s"], 2021, None, ValueStatus.SECRET)
    _set(rate, tiny["s"], 2021, None, ValueStatus.SECRET)
    aggregate(count)
    aggregate(rate)

    assert _value(count, tiny["e"]).value == 40
    assert _value(count, tiny["d1"]).value == 40
    assert _value(count, tiny["d2"]).value == 60
    assert _value(count, tiny["r"]).value == 100
    # (10×100 + 20×300) / 400 = 17.5 ; région: (1000 + 6000 + 5×600) / 1000 = 10
    assert _value(rate, tiny["e"]).value == pytest.approx(17.5)
    assert _value(rate, tiny["d2"]).value == pytest.approx(5.0)
    assert _value(rate, tiny["r"]).value == pytest.approx(10.0)
    assert _value(rate, tiny["r"]).computed and not _value(rate, tiny["a"]).computed


def test_reaggregating_replaces_computed_values_and_keeps_imported_ones(tiny):
    rate = IndicatorFactory(kind=Aggregation.RATE)
    _set(rate, tiny["a"], 2021, 10.0)
    _set(rate, tiny["d1"], 2021, 99.0)  # imported at the département level: authoritative
    aggregate(rate)
    IndicatorValue.objects.filter(indicator=rate, territory=tiny["a"]).update(value=30.0)
    aggregate(rate)

    assert _value(rate, tiny["e"]).value == pytest.approx(30.0)
    assert _value(rate, tiny["d1"]).value == 99.0 and not _value(rate, tiny["d1"]).computed
    assert IndicatorValue.objects.filter(indicator=rate, territory=tiny["e"]).count() == 1


def test_years_are_aggregated_separately(tiny):
    count = IndicatorFactory(kind=Aggregation.COUNT)
    _set(count, tiny["a"], 2020, 1)
    _set(count, tiny["a"], 2021, 2)
    aggregate(count)
    assert _value(count, tiny["r"], 2020).value == 1
    assert _value(count, tiny["r"], 2021).value == 2
