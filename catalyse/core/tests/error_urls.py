"""The site's addresses plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path
from django.utils.translation import gettext_lazy

from catalyse.core.ratelimit import RateLimitResult
from catalyse.urls import handler400, handler403, handler404, urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("boom")


def forbidden(request):
    # Lazily translated, as module-level refusals are.
    raise PermissionDenied(gettext_lazy("Réservé aux partenaires de l'initiative."))


def forbidden_without_reason(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("Invalid HTTP_HOST header")


def throttled(request):
    RateLimitResult(allowed=False, count=6, retry_after=150).enforce()


def briefly_throttled(request):
    RateLimitResult(allowed=False, count=6, retry_after=30).enforce()


urlpatterns = [
    path("test-erreurs/500/", broken),
    path("test-erreurs/403/", forbidden),
    path("test-erreurs/403-sans-raison/", forbidden_without_reason),
    path("test-erreurs/400/", suspicious),
    path("test-erreurs/429/", throttled),
    path("test-erreurs/429-bref/", briefly_throttled),
    path("api/v1/test-erreurs/429/", throttled),
    *urlpatterns,
]
