from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from .ratelimit import RateLimited


class ContentSecurityPolicyMiddleware:
    """Strict CSP: scripts and styles only from our own origin, never inline scripts.

    Views serving embeddable widgets set `response.frame_ancestors` to allow framing.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        tiles = settings.MAP_TILE_URL
        img_src = "'self' data: blob:"
        if tiles:
            # Tile URLs look like https://{s}.tile.example.org/{z}/{x}/{y}.png: allow that host family.
            from urllib.parse import urlsplit

            host = urlsplit(tiles.replace("{s}.", "")).netloc
            img_src += f" https://{host} https://*.{host}"
        self.policy = (
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src {img_src}; font-src 'self'; connect-src 'self'; object-src 'none'; "
            "base-uri 'self'; form-action 'self'"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response.headers:
            ancestors = getattr(response, "frame_ancestors", "'none'")
            response.headers["Content-Security-Policy"] = f"{self.policy}; frame-ancestors {ancestors}"
        return response


_current_request: ContextVar[HttpRequest | None] = ContextVar("catalyse_current_request", default=None)


def current_request() -> HttpRequest | None:
    """The request being served on this thread/task, for services that record who did what (audit)."""
    return _current_request.get()


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address. Behind our own proxy (BEHIND_PROXY=1) the last X-Forwarded-For hop is the one the
    proxy added; earlier hops are client-supplied and could be forged to dodge rate limits."""
    if request is None:
        return None
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    from .views import bad_request

    return bad_request(request, reason=message)


class RequestContextMiddleware:
    """Makes the current request reachable from services (audit log) and adds the security headers
    Django does not set itself."""

    PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.path:
            # NUL cannot be stored or compared by PostgreSQL (a 500 deep in a query): refuse it at the door.
            return _bad_request(request, "Caractère nul refusé dans l'adresse.")
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RateLimited):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": "Trop de requêtes : réessayez plus tard."}, status=429)
            response["Retry-After"] = str(exception.retry_after)
            return response
        from .views import too_many_requests

        return too_many_requests(request, exception.retry_after)


def allow_framing(view: Callable) -> Callable:
    """For embeddable widget views only: lets any site frame the response (X-Frame-Options and CSP
    frame-ancestors). Every other page stays unframeable (clickjacking)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True
        response.frame_ancestors = getattr(settings, "CATALYSE_WIDGET_FRAME_ANCESTORS", "*")
        return response

    return wrapped
