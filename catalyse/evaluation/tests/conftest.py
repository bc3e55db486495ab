import datetime as dt

import pytest

from catalyse.actors.tests.factories import MembershipFactory
from catalyse.evaluation import services
from catalyse.initiatives.models import Role
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory
from catalyse.search.tests.conftest import backend, reindex  # noqa: F401  (fixtures: each search engine)

D = dt.date


@pytest.fixture
def initiative(org):
    """A public initiative carried by `org`: its `owner` (editor) and `member` are partners."""
    initiative = InitiativeFactory(title="Alliance évaluée", slug="alliance-evaluee")
    PartnershipFactory(initiative=initiative, organisation=org, role=Role.PORTEUR)
    return initiative


@pytest.fixture
def lead(initiative, org):
    """A partner who leads the evaluation."""
    user = MembershipFactory(organisation=org).user
    services.framework_set(initiative=initiative, leads=[user])
    return user


def make_indicator(initiative, **fields):
    """An indicator: baseline 0 on 2024-01-01, targets 10 on 2024-01-11 and 50 on 2024-01-31, unless told."""
    values = {
        "name": "Personnes accompagnées", "definition": "Personnes accompagnées par l'alliance.",
        "computation": "Somme des listes d'émargement.", "baseline_value": 0, "baseline_date": D(2024, 1, 1),
        "targets": [{"date": "2024-01-31", "value": 50}, {"date": "2024-01-11", "value": 10}],
    }
    return services.indicator_create(initiative=initiative, **(values | fields))


def approved(indicator, end, value=None, level=None, start=None):
    measurement = services.measurement_create(indicator=indicator, period_start=start or end, period_end=end,
                                              value=value, level=level)
    services.measurement_submit(measurement)
    return services.measurement_approve(measurement)
