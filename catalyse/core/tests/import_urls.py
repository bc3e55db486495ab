"""URLs for test_import_pages: a test-only import kind served by the generic pages, next to the site's URLs."""

from django.urls import include, path

from catalyse.core.urls_import import import_urlpatterns

urlpatterns = [
    path("notes/", include((import_urlpatterns("notes"), "notes"))),
    path("", include("catalyse.urls")),
]
