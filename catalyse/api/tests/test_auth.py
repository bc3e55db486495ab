import hashlib

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from ninja.errors import HttpError

from catalyse.accounts import services
from catalyse.accounts.models import ApiToken, TokenScope
from catalyse.actors.services import organisation_create
from catalyse.api.auth import token_write

pytestmark = pytest.mark.django_db
LOGIN = "/api/v1/auth/login"
PASSWORD = "mot-de-passe-solide"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password=PASSWORD, **body):
    return client.post(LOGIN, {"email": email, "password": password, **body}, content_type="application/json")


def test_api_clients_sign_in_and_get_a_token_stored_only_as_a_hash(client, member):
    response = _login(client, member.email, scope="write", name="script")
    assert response.status_code == 200
    key = response.json()["token"]
    token = ApiToken.objects.get(user=member)
    assert token.scope == TokenScope.WRITE and token.name == "script"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values_list())


def test_a_wrong_password_gets_401(client, member):
    response = _login(client, member.email, "faux")
    assert response.status_code == 401 and response.json()["detail"]


def test_repeated_failures_get_429_with_retry_after(client, member):
    for _ in range(5):
        assert _login(client, member.email, "faux").status_code == 401
    response = _login(client, member.email)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_a_token_shows_its_person_what_they_may_see_and_nothing_more(client, member, outsider):
    pending = organisation_create(name="Projet en attente", profile="public", created_by=member)
    _token, key = services.api_token_create(user=member, name="t")
    _token2, other_key = services.api_token_create(user=outsider, name="t")
    url = f"/api/v1/organisations/{pending.slug}"
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_revoked_or_unknown_token_is_refused(client, member):
    token, key = services.api_token_create(user=member, name="t")
    services.api_token_revoke(token)
    assert client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert client.get("/api/v1/organisations", HTTP_AUTHORIZATION="Bearer cat_inconnu").status_code == 401


def test_a_token_revokes_itself_through_logout(client, member):
    _token, key = services.api_token_create(user=member, name="t")
    assert client.post("/api/v1/auth/logout", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 204
    assert client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_read_token_cannot_write(member):
    _token, key = services.api_token_create(user=member, name="lecture", scope=TokenScope.READ)
    request = RequestFactory().post("/", HTTP_AUTHORIZATION=f"Bearer {key}")
    with pytest.raises(HttpError) as exc:
        token_write(request)
    assert exc.value.status_code == 403


def test_a_write_token_writes_as_its_person(member):
    _token, key = services.api_token_create(user=member, name="écriture", scope=TokenScope.WRITE)
    request = RequestFactory().post("/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert token_write(request) == member and request.user == member


def test_anonymous_api_reads_are_rate_limited_per_address(client, settings):
    settings.CATALYSE_API_ANONYMOUS_PER_MINUTE = 3
    statuses = [client.get("/api/v1/territories?q=lyon").status_code for _ in range(4)]
    assert statuses[3] == 429, statuses


def test_token_requests_are_rate_limited_per_token(client, member, settings):
    settings.CATALYSE_API_TOKEN_PER_MINUTE = 2
    _token, key = services.api_token_create(user=member, name="t")
    statuses = [client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {key}").status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_tokens_are_created_and_revoked_from_the_account_page(client, member):
    client.force_login(member)
    response = client.post("/compte/jetons/", {"name": "tableur", "scope": "read"})
    assert "cat_" in response.content.decode()
    token = ApiToken.objects.get(user=member)
    client.post("/compte/jetons/", {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_zero_limit_turns_api_throttling_off(client, settings):
    settings.CATALYSE_API_ANONYMOUS_PER_MINUTE = 0
    assert all(client.get("/api/v1/territories?q=lyon").status_code == 200 for _ in range(5))
