import pyotp
import pytest
from django.core.cache import cache

from catalyse.accounts import services

PASSWORD = "mot-de-passe-solide"  # the factories' password (factories.UserFactory)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and lockouts live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def enable_second_factor(user) -> None:
    """Turn the second factor on, as the person would; the code of the current step may then be used again in the
    test (a real code is refused once used)."""
    services.totp_begin(user)
    services.totp_confirm(user, pyotp.TOTP(user.totp_secret).now())
    user.totp_last_step = 0
    user.save(update_fields=["totp_last_step"])
