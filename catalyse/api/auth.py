"""API authentication: revocable bearer tokens with a read or write scope, and the sign-in endpoint.

Tokens are created on /compte/jetons/ or by `POST /api/v1/auth/login`; only their SHA-256 is stored.
Endpoints declare what they accept:

    from catalyse.api.auth import READ_AUTH, WRITE_AUTH

    @router.get("/things", auth=READ_AUTH)     # anonymous, session or any token; request.user is set
    @router.post("/things", auth=WRITE_AUTH)   # a write-scoped token, or a browser session (with CSRF)

Every authenticated request is also rate-limited (per token, per IP for anonymous reads): past the limit
the answer is 429 with a Retry-After header.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, django_auth

from catalyse.accounts import services
from catalyse.accounts.models import ApiToken, TokenScope
from catalyse.core.middleware import client_ip
from catalyse.core.ratelimit import rate_limit


class Throttled(HttpError):
    def __init__(self, retry_after: int, message: str = "Trop de requêtes : réessayez plus tard."):
        super().__init__(429, message)
        self.retry_after = retry_after


def throttled_response(api, request: HttpRequest, exc: Throttled) -> HttpResponse:
    """Exception handler registered on the NinjaAPI: 429 with Retry-After."""
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _throttle(key: str, per_minute_setting: str, default: int) -> None:
    """Limit from the Django setting, else the environment variable of the same name; 0 turns it off
    (benchmarks that load the API from one address)."""
    limit = int(getattr(settings, per_minute_setting, os.environ.get(per_minute_setting, default)))
    if limit <= 0:
        return
    result = rate_limit(key, limit, 60)
    if not result.allowed:
        raise Throttled(result.retry_after)


def _bearer_key(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    return key.strip() if scheme.lower() == "bearer" else None


def _token_user(request: HttpRequest, key: str, *, scope: str) -> object:
    token: ApiToken | None = services.api_token_authenticate(key)
    if token is None:
        return None
    if scope == TokenScope.WRITE and token.scope != TokenScope.WRITE:
        raise HttpError(403, "Ce jeton ne permet que la lecture : créez un jeton avec la portée « écriture ».")
    _throttle(f"api:token:{token.pk}", "CATALYSE_API_TOKEN_PER_MINUTE", 600)
    request.user = token.user
    request.auth_token = token
    return token.user


class TokenAuth(HttpBearer):
    """A bearer token whose scope covers `scope` (a write token also reads)."""

    def __init__(self, scope: str = TokenScope.READ):
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, key: str | None):
        return _token_user(request, key or "", scope=self.scope)


class OptionalAuth(HttpBearer):
    """Reads: a valid token identifies the person; no token means the session's person or an anonymous
    visitor; a wrong token is refused (401) rather than silently treated as anonymous."""

    def __call__(self, request: HttpRequest):
        key = _bearer_key(request)
        if key is not None:
            user = _token_user(request, key, scope=TokenScope.READ)
            if user is None:
                raise AuthenticationError()
            return user
        user = getattr(request, "user", None) or AnonymousUser()
        if not user.is_authenticated:
            _throttle(f"api:ip:{client_ip(request)}", "CATALYSE_API_ANONYMOUS_PER_MINUTE", 300)
        return user

    def authenticate(self, request, key):  # pragma: no cover - __call__ does the work
        return None


token_read = TokenAuth(TokenScope.READ)
token_write = TokenAuth(TokenScope.WRITE)
READ_AUTH = OptionalAuth()
# Browser sessions stay accepted for writes: ninja's session auth enforces CSRF on them.
WRITE_AUTH: list = [token_write, django_auth]


# --- Sign-in endpoint --------------------------------------------------------------------------------

router = Router(tags=["auth"])


class LoginIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)
    scope: TokenScope = TokenScope.READ
    name: str = Field("API", max_length=100, description="Nom du jeton, affiché sur /compte/jetons/")


class TokenOut(Schema):
    token: str = Field(description="À envoyer dans l'en-tête Authorization: Bearer <token>. Affiché une seule fois.")
    token_type: str = "Bearer"  # noqa: S105
    scope: TokenScope


class Detail(Schema):
    detail: str


@router.post("/login", response={200: TokenOut, 401: Detail, 429: Detail}, summary="Obtenir un jeton d'API")
def login(request: HttpRequest, payload: LoginIn):
    """Échange une adresse et un mot de passe contre un jeton. Les échecs répétés (par compte et par adresse
    IP) sont bloqués quelques minutes : réponse 429 avec l'en-tête Retry-After. Les comptes avec double
    authentification créent leurs jetons sur /compte/jetons/."""
    try:
        user = services.credentials_check(email=payload.email, password=payload.password, request=request)
    except services.LoginError as exc:
        if exc.retry_after:
            raise Throttled(exc.retry_after, str(exc)) from exc
        return 401, {"detail": str(exc)}
    if user.totp_enabled:
        return 401, {"detail": "Compte protégé par double authentification : créez un jeton sur /compte/jetons/."}
    _token, key = services.api_token_create(user=user, name=payload.name, scope=payload.scope)
    return 200, {"token": key, "scope": payload.scope}


@router.post("/logout", response={204: None}, auth=TokenAuth(), summary="Révoquer le jeton utilisé")
def logout(request: HttpRequest):
    services.api_token_revoke(request.auth_token)
    return 204, None
