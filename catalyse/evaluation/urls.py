"""Included under /initiatives/<slug>/evaluation/: every view receives the initiative's `slug`."""

from django.urls import path

from . import views, views_change, views_dashboard, views_evidence, views_import, views_partnership

app_name = "evaluation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("tableau-de-bord/", views_dashboard.dashboard, name="dashboard"),
    path("cadre/", views.framework_edit, name="framework"),
    path("export/<str:table>.<str:fmt>", views.export, name="export"),
    path("objectifs/nouveau/", views.objective_create, name="objective_create"),
    path("objectifs/<int:pk>/modifier/", views.objective_edit, name="objective_edit"),
    path("indicateurs/nouveau/", views.indicator_create, name="indicator_create"),
    path("indicateurs/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indicateurs/<int:pk>/modifier/", views.indicator_edit, name="indicator_edit"),
    path("indicateurs/<int:pk>/mesures/nouvelle/", views.measurement_create, name="measurement_create"),
    path("mesures/<int:pk>/modifier/", views.measurement_edit, name="measurement_edit"),
    path("mesures/<int:pk>/soumettre/", views.measurement_submit, name="measurement_submit"),
    path("mesures/<int:pk>/valider/", views.measurement_approve, name="measurement_approve"),
    path("mesures/<int:pk>/renvoyer/", views.measurement_return, name="measurement_return"),
    path("relecture/", views.review, name="review"),
    path("preuves/", views_evidence.evidence_list, name="evidence"),
    path("preuves/ajouter/", views_evidence.evidence_edit, name="evidence_add"),
    path("preuves/<int:pk>/modifier/", views_evidence.evidence_edit, name="evidence_edit"),
    path("preuves/<int:pk>/supprimer/", views_evidence.evidence_delete, name="evidence_delete"),
    path("import/", views_import.measurements_import, name="measurements_import"),
    path("import/modele.<str:fmt>", views_import.measurements_import_template, name="measurements_import_template"),
    path("import/<int:pk>/", views_import.measurements_import_detail, name="measurements_import_detail"),
    path("import/<int:pk>/progression/", views_import.measurements_import_progress,
         name="measurements_import_progress"),
    path("import/<int:pk>/erreurs.csv", views_import.measurements_import_errors, name="measurements_import_errors"),
    path("mobilisation/", views_partnership.mobilisation, name="mobilisation"),
    path("maturite/", views_partnership.maturity, name="maturity"),
    path("maturite/questionnaire/", views_partnership.maturity_questionnaire, name="questionnaire"),
    path("chemins/", views_change.change_paths, name="change_paths"),
    path("sroi/", views_change.sroi_page, name="sroi"),
    path("sroi/<int:pk>/export.csv", views_change.sroi_export, name="sroi_export"),
    path("craintes/", views_change.fat_page, name="fat"),
    path("seances/", views_change.sessions_page, name="sessions"),
    path("bilan/", views_change.scorecard_page, name="scorecard"),
    path("publication/<str:kind>/<int:pk>/", views_partnership.publication_action, name="publication"),
]
