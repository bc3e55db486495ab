"""Import and duplicate pages, included in the actors namespace before the `<slug>/` pattern."""

from django.urls import path

from catalyse.core.urls_import import import_urlpatterns

from . import views_duplicates as views

urlpatterns = [
    *import_urlpatterns("organisations"),
    path("doublons/", views.duplicates, name="duplicates"),
    path("doublons/pas-un-doublon/", views.duplicate_not_same, name="duplicate_dismiss"),
    path("doublons/fusionner/", views.merge, name="merge"),
]
