"""The mobilisation and maturity endpoints fuzzed against a real initiative with a partner, a log and a wave:
never a 5xx, and documented responses match their schema."""

import pytest
from hypothesis import given

from catalyse.accounts import services as accounts
from catalyse.accounts.models import TokenScope
from catalyse.evaluation import services_partnership as s

from .test_fuzz import FUZZ, api_schema, not_a_server_error, response_schema_conformance  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_partnership_api_never_fails_on_real_objects(api_schema, initiative, org, member):  # noqa: F811
    s.mobilisation_event_create(initiative=initiative, organisation=org, kind="joined", happened_on="2023-01-01")
    s.engagement_level_set(initiative=initiative, organisation=org, period_start="2023-01-01",
                           period_end="2023-12-31", level=3)
    wave = s.maturity_wave_open(initiative=initiative, title="Vague", held_on="2024-03-01")
    s.maturity_response_add(wave=wave, organisation=org, answers={axis["code"]: 2 for axis in wave.axes})
    key = accounts.api_token_create(user=member, name="fuzz", scope=TokenScope.WRITE)[1]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    operations = [op for op in operations if op.path.endswith(("/mobilisation", "/maturity"))]
    assert len(operations) == 4
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @FUZZ
        def run(case):
            if case.headers:
                case.headers.pop("Authorization", None)
            case.path_parameters = {"slug": initiative.slug}
            case.validate_response(case.call(headers={"Authorization": f"Bearer {key}"}),
                                   checks=[not_a_server_error, response_schema_conformance])

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
