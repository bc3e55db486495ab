from django.urls import include, path

from . import views

app_name = "actors"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("export.<str:fmt>", views.organisation_export, name="export"),
    path("nouvelle/", views.organisation_create, name="create"),
    path("", include("catalyse.actors.urls_import")),  # import/, doublons/ (before <slug>/)
    path("<slug:slug>/", views.organisation_show, name="detail"),
    path("<slug:slug>/modifier/", views.organisation_edit, name="edit"),
]
