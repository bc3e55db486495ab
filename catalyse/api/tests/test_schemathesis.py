"""Fuzz the whole API from its OpenAPI document, as an anonymous visitor and with a write token.

Bounded (MAX_EXAMPLES per operation, no shrinking) so the run stays well under two minutes per database.
Checks: never a 5xx, and documented responses match their schema and content type.

The operations are looped over inside one test per identity (rather than schemathesis' pytest plugin,
whose lazy fixture loading does not support pytest 9 yet); a failure names the operation and the case.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from catalyse.accounts import services
from catalyse.accounts.models import TokenScope

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def api_schema(settings):
    from catalyse.wsgi import application

    # The fuzzer sends hundreds of requests from one address in seconds: lift the abuse limits here,
    # they have their own tests.
    settings.CATALYSE_API_ANONYMOUS_PER_MINUTE = 10**6
    settings.CATALYSE_API_TOKEN_PER_MINUTE = 10**6
    settings.CATALYSE_LOGIN_FAILURES_PER_IP = 10**6
    settings.CATALYSE_LOGIN_FAILURES_PER_ACCOUNT = 10**6
    # As Django's test client does: requests must not close the connection that holds the test transaction
    # (PostgreSQL would lose it; SQLite's in-memory database never closes).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _fuzz_every_operation(api_schema, headers: dict, *, skip: tuple[str, ...] = ()) -> None:
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    operations = [op for op in operations if op.path not in skip]
    assert operations, "the OpenAPI document lists no operation"
    for operation in operations:

        @given(case=operation.as_strategy())
        @FUZZ
        def run(case):
            # The document declares bearer auth, so cases carry a random token: replace it by ours (or none).
            if case.headers:
                case.headers.pop("Authorization", None)
            case.validate_response(case.call(headers=headers), checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_the_api_never_fails_and_matches_its_schema_for_anonymous_visitors(api_schema, org):
    _fuzz_every_operation(api_schema, {})


def test_the_api_never_fails_and_matches_its_schema_with_a_write_token(api_schema, member, org):
    key = services.api_token_create(user=member, name="fuzz", scope=TokenScope.WRITE)[1]
    # Logout revokes the token it is called with: fuzzing it would sign the rest of the run out.
    _fuzz_every_operation(api_schema, {"Authorization": f"Bearer {key}"}, skip=("/api/v1/auth/logout",))
