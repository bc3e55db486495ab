from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("", views.library, name="list"),
    path("ajouter/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("collections/ajouter/", views.collection_create, name="collection_create"),
    path("collections/<slug:slug>/", views.collection, name="collection"),
    path("collections/<slug:slug>/modifier/", views.collection_edit, name="collection_edit"),
    path("boite-a-outils/", views.toolbox, name="toolbox"),
    path("boite-a-outils/ajouter/", views.tool_create, name="tool_create"),
    path("boite-a-outils/<slug:slug>/", views.tool, name="tool"),
    path("boite-a-outils/<slug:slug>/modifier/", views.tool_edit, name="tool_edit"),
    path("boite-a-outils/<slug:slug>/supprimer/", views.tool_delete, name="tool_delete"),
]
