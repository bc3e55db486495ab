from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("nouvelle/", views.initiative_create, name="create"),
    path("organisations.json", views.organisation_autocomplete, name="organisation_autocomplete"),
    path("<slug:slug>/", views.initiative_detail, name="detail"),
    path("<slug:slug>/modifier/", views.initiative_edit, name="edit"),
    path("<slug:slug>/historique/", views.initiative_history, name="history"),
    path("<slug:slug>/historique/<int:number>/restaurer/", views.initiative_restore, name="restore"),
    path("<slug:slug>/partenaires/", views.initiative_partners, name="partners"),
    path("<slug:slug>/partenaires/<int:pk>/fin/", views.partnership_end, name="partnership_end"),
    path("<slug:slug>/fiches/nouvelle/", views.sheet_edit, name="sheet_create"),
    path("<slug:slug>/fiches/<int:pk>/", views.sheet_detail, name="sheet"),
    path("<slug:slug>/fiches/<int:pk>/modifier/", views.sheet_edit, name="sheet_edit"),
    path("<slug:slug>/fiches/<int:pk>/historique/", views.sheet_history, name="sheet_history"),
    path("<slug:slug>/fiches/<int:pk>/historique/<int:number>/restaurer/", views.sheet_restore,
         name="sheet_restore"),
]

