"""/ressources/: every resource of the initiatives this person may see."""

from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [path("", views.resource_list, name="list")]
