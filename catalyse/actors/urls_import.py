"""Import and duplicate pages, included in the actors namespace before the `<slug>/` pattern."""

from django.urls import path

from . import views_import as views

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("import/modele.<str:fmt>", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/progression/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/erreurs.csv", views.import_errors, name="import_errors"),
    path("doublons/", views.duplicates, name="duplicates"),
    path("doublons/pas-un-doublon/", views.duplicate_not_same, name="duplicate_dismiss"),
    path("doublons/fusionner/", views.merge, name="merge"),
]
