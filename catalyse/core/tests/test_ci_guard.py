import os

import pytest
from django.db import connection


@pytest.mark.skipif(os.environ.get("CI", "").lower() != "true", reason="guards the CI configuration only")
def test_ci_runs_on_the_database_it_was_asked_for():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
