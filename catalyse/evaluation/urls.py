from django.urls import path

from . import views_change

app_name = "evaluation"
urlpatterns = [
    path("chemins/", views_change.change_paths, name="change_paths"),
    path("sroi/", views_change.sroi_page, name="sroi"),
    path("sroi/<int:pk>/export.csv", views_change.sroi_export, name="sroi_export"),
    path("craintes/", views_change.fat_page, name="fat"),
    path("seances/", views_change.sessions_page, name="sessions"),
    path("bilan/", views_change.scorecard_page, name="scorecard"),
    path("publication/<slug:kind>/<int:pk>/", views_change.publication_action, name="publication"),
]
