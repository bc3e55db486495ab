import factory

from catalyse.observatory.models import Aggregation, Indicator, Theme


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"indicateur-{n}")
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    theme = Theme.EMPLOI
    unit = "%"
    kind = Aggregation.RATE
