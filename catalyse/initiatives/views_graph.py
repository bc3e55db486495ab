"""The partnership graph page (/graphe/) and its CSV exports; data from graph.graph_for, the same as the API."""

from urllib.parse import urlencode

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from catalyse.territories.models import Kind, Level, Territory

from .graph import GraphFilterError, GraphFilters, graph_for
from .graph_export import FILES, graph_csv, graph_zip
from .models import Theme

TABLE_ROWS = 100  # the accessible table lists the most central organisations; the CSV has them all


def _graph(request, *, edge_initiatives: bool = False) -> tuple[GraphFilters, dict | None, str]:
    """Filters, payload (None when the filters are invalid) and an error message for the user."""
    try:
        filters = GraphFilters.from_params(request.GET, request.user)
        return filters, graph_for(request.user, filters, edge_initiatives=edge_initiatives), ""
    except GraphFilterError as exc:
        return GraphFilters(), None, str(exc)


def graph_page(request):
    filters, payload, error = _graph(request)
    territories = Territory.objects.filter(kind=Kind.CURRENT, level__in=[Level.REGION, Level.DEPARTEMENT])
    return render(request, "initiatives/graph.html", {
        "filters": filters,
        "params": filters.as_params(),
        "query": urlencode(filters.as_params()),
        "api_query": urlencode(filters.as_params(api=True)),
        "graph": payload,
        "table_nodes": payload["nodes"][:TABLE_ROWS] if payload else [],
        "error": error,
        "themes": Theme.objects.all(),
        "regions": territories.filter(level=Level.REGION).order_by("name"),
        "departements": territories.filter(level=Level.DEPARTEMENT).order_by("code"),
    }, status=400 if error else 200)


def graph_export_csv(request, table: str):
    filters, payload, error = _graph(request, edge_initiatives=True)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse((c.encode() for c in graph_csv(payload, table)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="graphe-{FILES[table][0]}"'
    return response


def graph_export_zip(request):
    filters, payload, error = _graph(request, edge_initiatives=True)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(graph_zip(payload), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="graphe-partenariats.zip"'
    return response
