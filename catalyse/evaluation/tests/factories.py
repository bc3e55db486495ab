import datetime as dt

import factory

from catalyse.evaluation.models import Indicator, IndicatorVersion, Measurement, Objective
from catalyse.initiatives.tests.factories import InitiativeFactory


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Objectif {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    initiative = factory.SubFactory(InitiativeFactory)
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    unit = "personnes"


class IndicatorVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorVersion

    indicator = factory.SubFactory(IndicatorFactory)
    number = 1
    definition = "Personnes accompagnées par l'alliance."
    computation = "Somme des personnes inscrites sur les listes d'émargement."
    baseline_value = 0
    baseline_date = dt.date(2024, 1, 1)
    targets = factory.LazyFunction(lambda: [{"date": "2025-12-31", "value": "100"}])


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    version = factory.SubFactory(IndicatorVersionFactory)
    indicator = factory.LazyAttribute(lambda o: o.version.indicator)
    period_start = dt.date(2024, 1, 1)
    period_end = dt.date(2024, 3, 31)
    value = 10
