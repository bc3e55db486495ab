from django.urls import path

from catalyse.core.urls_import import import_urlpatterns

from . import views

app_name = "observatory"
urlpatterns = [
    *import_urlpatterns("indicators"),
    path("indicateurs/", views.indicator_catalogue, name="catalogue"),
    path("regions/", views.region_card_list, name="region_cards"),
    path("regions/<str:code>/", views.region_card, name="region_card"),
]
