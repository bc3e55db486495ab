from django.urls import path

from . import views_graph

app_name = "graph"

urlpatterns = [
    path("", views_graph.graph_page, name="page"),
    path("elements.csv", views_graph.graph_export_csv, {"table": "elements"}, name="elements_csv"),
    path("connexions.csv", views_graph.graph_export_csv, {"table": "connexions"}, name="connections_csv"),
    path("graphe-partenariats.zip", views_graph.graph_export_zip, name="zip"),
]
