from django.urls import path

from catalyse.core.urls_import import import_urlpatterns

from . import views

app_name = "observatory"
urlpatterns = [
    *import_urlpatterns("indicators"),
    path("indicateurs/", views.indicator_catalogue, name="catalogue"),
]
