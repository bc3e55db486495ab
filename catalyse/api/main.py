"""The one NinjaAPI instance under /api/v1/. Apps contribute routers; conventions live here.

Conventions every endpoint follows: errors are JSON `{"detail": "…"}`; unknown objects give 404, objects
seen but not editable 403 (endpoints call the permission module, which raises Http404 / PermissionDenied);
bad parameters give 422 with a readable message; lists are paginated with `limit`/`offset` and a
total `count`.
"""

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger, _csrf_needed

from catalyse.api.auth import READ_AUTH, Throttled, throttled_response
from catalyse.api.auth import router as auth_router
from catalyse.territories.api import router as territories_router


class LocalSwagger(Swagger):
    """Swagger UI from our own static files (core/static/vendor/swagger-ui), in the site's layout: django-ninja
    would load it from a CDN, which the site's CSP blocks."""

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, "core/api_docs.html",
                      {"swagger_settings": settings, "api": api, "add_csrf": _csrf_needed(api)})


api = NinjaAPI(
    title="Catalyse API",
    version="1",
    description="API publique de Catalyse : territoires, organisations, initiatives.",
    urls_namespace="api",
    docs_url="/docs",
    docs=LocalSwagger(),
    openapi_url="/openapi.json",
    # Default for every operation: a token identifies its person, no token means session or anonymous
    # (rate-limited per IP). Write operations declare auth=WRITE_AUTH from catalyse.api.auth.
    auth=READ_AUTH,
)


def _readable(errors: list[dict]) -> str:
    parts = []
    for err in errors:
        where = ".".join(str(p) for p in err.get("loc", [])[1:] or err.get("loc", []))
        parts.append(f"{where}: {err.get('msg', 'valeur invalide')}" if where else err.get("msg", "valeur invalide"))
    return "; ".join(parts) or "Paramètres invalides."


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": _readable(exc.errors), "errors": exc.errors}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Introuvable."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    # Raised by the permission module (get_editable_or_404): the same rule as the pages, as JSON.
    return api.create_response(request, {"detail": str(exc) or "Action non autorisée."}, status=403)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(DataError)
def data_error(request, exc: DataError):
    # Values the database cannot store (NUL characters in JSON strings, out-of-range numbers): the
    # client's input, so 422 rather than 500. Found by the schemathesis run on PostgreSQL.
    return api.create_response(request, {"detail": "Valeur refusée par la base de données."}, status=422)


@api.exception_handler(OverflowError)
def overflow_error(request, exc: OverflowError):
    # SQLite stores 64-bit integers: a larger number in a filter or body is bad input, not a server fault.
    return api.create_response(request, {"detail": "Nombre trop grand."}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Authentification requise."}, status=401)


api.add_exception_handler(Throttled, lambda request, exc: throttled_response(api, request, exc))
api.add_router("/auth", auth_router)
api.add_router("/territories", territories_router)
api.add_router("/organisations", "catalyse.actors.api.router")
api.add_router("/initiatives", "catalyse.initiatives.api.router")
api.add_router("/initiatives", "catalyse.evaluation.api.initiatives_router")
api.add_router("/initiatives", "catalyse.evaluation.api_change.router")
api.add_router("/evaluation", "catalyse.evaluation.api.router")
api.add_router("/initiatives", "catalyse.evaluation.api_evidence.initiatives_router")
api.add_router("/evaluation", "catalyse.evaluation.api_evidence.router")
api.add_router("/initiatives", "catalyse.evaluation.api_iati.initiatives_router")
api.add_router("/evaluation", "catalyse.evaluation.api_iati.router")
api.add_router("/initiatives", "catalyse.evaluation.api_partnership.router")
api.add_router("/graph", "catalyse.initiatives.api_graph.router")
api.add_router("/map", "catalyse.actors.api_map_stats.map_router")
api.add_router("/stats", "catalyse.actors.api_map_stats.stats_router")
api.add_router("/search", "catalyse.search.api.router")
api.add_router("/observatory", "catalyse.observatory.api.router")
api.add_router("/resources", "catalyse.resources.api.router")
api.add_router("/territories", "catalyse.observatory.api.territories_router")
api.add_router("/events", "catalyse.events.api.router")
api.add_router("/events", "catalyse.workshops.api_synthesis.router")
api.add_router("/workshops", "catalyse.workshops.api.router")
