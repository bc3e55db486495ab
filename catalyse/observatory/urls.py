from django.urls import path

from . import views

app_name = "observatory"
urlpatterns = [
    path("indicateurs/", views.indicator_catalogue, name="catalogue"),
]
