"""Permission policies for the evaluation models while none is registered (the app's own policies arrive with
`catalyse/evaluation/permissions.py`): the published items of visible initiatives, everything for the
initiative's partners and creator. Registered only for models without a policy, removed after the test, so the
tests run unchanged against the real policies once they exist."""

import pytest
from django.db.models import Q

from catalyse.core import permissions
from catalyse.evaluation.models import Evidence, Indicator, Measurement, MeasurementStatus, Objective
from catalyse.initiatives.models import Initiative
from catalyse.initiatives.permissions import initiative_policy, partner_initiative_ids


class _StandIn(permissions.Policy):
    def __init__(self, path: str, public: Q) -> None:
        self.path, self.public = path, public

    def visible_q(self, user):
        q = initiative_policy.visible_q(user)
        visible = Initiative.objects.filter(q) if q is not None else Initiative.objects.all()
        public = self.public & Q(**{f"{self.path}__in": visible.values("pk")})
        if not permissions.is_member(user):
            return public
        insiders = Initiative.objects.filter(Q(pk__in=partner_initiative_ids(user)) | Q(created_by=user))
        return public | Q(**{f"{self.path}__in": insiders.values("pk")})


STAND_INS = {
    Objective: _StandIn("initiative", Q(is_public=True)),
    Indicator: _StandIn("initiative", Q(is_public=True)),
    Evidence: _StandIn("initiative", Q(is_public=True)),
    Measurement: _StandIn("indicator__initiative",
                          Q(indicator__is_public=True, status=MeasurementStatus.APPROVED)),
}


@pytest.fixture
def evaluation_policies():
    added = []
    for model, policy in STAND_INS.items():
        try:
            permissions.policy_for(model)
        except LookupError:
            permissions.register(model, policy)
            added.append(model)
    yield
    for model in added:
        permissions._POLICIES.pop(model, None)
