"""The import pages of one import kind, to include in the owning app's URL namespace:

    urlpatterns = [*import_urlpatterns("organisations"), ...]
"""

from django.urls import path

from . import views_import as views


def import_urlpatterns(kind: str) -> list:
    options = {"kind": kind}
    return [
        path("import/", views.import_page, options, name="import"),
        path("import/modele.<str:fmt>", views.import_template, options, name="import_template"),
        path("import/apercu/<slug:token>/", views.import_preview, options, name="import_preview"),
        path("import/<int:pk>/", views.import_detail, options, name="import_detail"),
        path("import/<int:pk>/progression/", views.import_progress, options, name="import_progress"),
        path("import/<int:pk>/erreurs.csv", views.import_errors, options, name="import_errors"),
    ]
