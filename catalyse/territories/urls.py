from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("", views.territory_search, name="search"),
    path("contours/", views.territory_outlines_base, name="outlines_base"),
    path("contours/<str:level>.json", views.territory_outlines, name="outlines"),
    path("<str:level>/<str:code>/", views.territory_detail, name="detail"),
]
