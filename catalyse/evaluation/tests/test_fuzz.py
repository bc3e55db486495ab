"""The evaluation endpoints fuzzed against real objects: the API-wide schemathesis run rarely guesses an
existing slug or id, so here every generated case targets this initiative, its indicator and a measurement.
Checks: never a 5xx, and documented responses match their schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from catalyse.accounts import services as accounts
from catalyse.accounts.models import TokenScope
from catalyse.evaluation import services

from .conftest import D, make_indicator

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=25, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def api_schema(settings):
    from catalyse.wsgi import application

    settings.CATALYSE_API_TOKEN_PER_MINUTE = 10**6
    # As in catalyse/api/tests/test_schemathesis.py: keep the connection holding the test transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_evaluation_api_never_fails_on_real_objects(api_schema, initiative, lead):
    indicator = make_indicator(initiative)
    measurement = services.measurement_submit(services.measurement_create(
        indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 1, 5), value=4))
    evidence = services.evidence_create(initiative=initiative, kind="figure", title="Relevé", text="12",
                                        indicators=[indicator])
    parameters = {"slug": initiative.slug, "indicator_id": indicator.pk, "measurement_id": measurement.pk,
                  "evidence_id": evidence.pk}
    key = accounts.api_token_create(user=lead, name="fuzz", scope=TokenScope.WRITE)[1]
    headers = {"Authorization": f"Bearer {key}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    operations = [op for op in operations if "/evaluation/" in op.path or op.path.endswith((
        "/objectives", "/indicators", "/evidence", "/iati.xml")) and "/initiatives/" in op.path]
    assert len(operations) == 23
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @FUZZ
        def run(case):
            if case.headers:
                case.headers.pop("Authorization", None)
            case.path_parameters = {name: parameters[name] for name in case.path_parameters or {}}
            case.validate_response(case.call(headers=headers), checks=[not_a_server_error,
                                                                       response_schema_conformance])

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
