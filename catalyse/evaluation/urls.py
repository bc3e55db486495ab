from django.urls import path

from . import views_evidence

app_name = "evaluation"

urlpatterns = [
    path("preuves/", views_evidence.evidence_list, name="evidence"),
    path("preuves/ajouter/", views_evidence.evidence_edit, name="evidence_add"),
    path("preuves/<int:pk>/modifier/", views_evidence.evidence_edit, name="evidence_edit"),
    path("preuves/<int:pk>/supprimer/", views_evidence.evidence_delete, name="evidence_delete"),
]
