from django.urls import path

from . import views_change, views_partnership

app_name = "evaluation"
urlpatterns = [
    path("mobilisation/", views_partnership.mobilisation, name="mobilisation"),
    path("maturite/", views_partnership.maturity, name="maturity"),
    path("chemins/", views_change.change_paths, name="change_paths"),
    path("sroi/", views_change.sroi_page, name="sroi"),
    path("sroi/<int:pk>/export.csv", views_change.sroi_export, name="sroi_export"),
    path("craintes/", views_change.fat_page, name="fat"),
    path("seances/", views_change.sessions_page, name="sessions"),
    path("bilan/", views_change.scorecard_page, name="scorecard"),
    path("publication/<str:kind>/<int:pk>/", views_partnership.publication_action, name="publication"),
]
