"""The evaluation pages of one initiative, under /initiatives/<slug>/evaluation/ (namespace "evaluation")."""

from django.urls import path

from . import views_import

app_name = "evaluation"
urlpatterns = [
    path("import/", views_import.measurements_import, name="measurements_import"),
    path("import/modele.<str:fmt>", views_import.measurements_import_template, name="measurements_import_template"),
    path("import/<int:pk>/", views_import.measurements_import_detail, name="measurements_import_detail"),
    path("import/<int:pk>/progression/", views_import.measurements_import_progress,
         name="measurements_import_progress"),
    path("import/<int:pk>/erreurs.csv", views_import.measurements_import_errors, name="measurements_import_errors"),
]
