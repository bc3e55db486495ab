from django.urls import path

from . import views_dashboard

app_name = "evaluation"
urlpatterns = [
    path("tableau-de-bord/", views_dashboard.dashboard, name="dashboard"),
]
