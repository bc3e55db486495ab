from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendrier.ics", views.calendar_feed, name="feed"),
    path("ajouter/", views.event_create, name="create"),
    path("<slug:slug>.ics", views.event_ics, name="ics"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/modifier/", views.event_edit, name="edit"),
    path("<slug:slug>/inscription/", views.event_register, name="register"),
    path("<slug:slug>/inscription/<str:token>/", views.registration_by_link, name="registration_link"),
    path("<slug:slug>/inscriptions.csv", views.registrations_csv, name="registrations_csv"),
    path("<slug:slug>/groupes/", views.group_lists, name="groups"),
    path("<slug:slug>/inscriptions/<int:pk>/", views.registration_manage, name="registration_manage"),
]
