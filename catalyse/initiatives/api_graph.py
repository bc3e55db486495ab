"""GET /api/v1/graph: the partnership graph the caller may see, as {nodes, edges, measures}."""

from django.http import JsonResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from .graph import GraphFilterError, GraphFilters, graph_for

router = Router(tags=["graphe"])


class GraphNode(Schema):
    id: str = Field(description="slug de l'organisation")
    label: str
    profile: str
    profile_label: str
    colour: str
    url: str = Field(description="page de l'organisation")
    initiatives: int = Field(description="initiatives visibles auxquelles elle participe")
    degree: int = Field(description="partenaires distincts")
    strength: int = Field(description="somme des poids de ses liens")
    betweenness: float = Field(description="intermédiarité normalisée (0 à 1)")
    articulation: bool = Field(description="son retrait coupe le réseau en morceaux")


class GraphEdge(Schema):
    source: str
    target: str
    weight: int = Field(description="initiatives partagées (leur liste est dans l'export CSV des connexions)")


class AllianceMeasure(Schema):
    id: str
    title: str
    url: str
    partners: int
    profiles: int = Field(description="profils distincts parmi les partenaires")
    mixite: float = Field(description="entropie de Shannon des profils normalisée par ln 6 (0 à 1)")


class ProfileCount(Schema):
    code: str
    label: str
    colour: str
    count: int


class GraphMeasures(Schema):
    node_count: int
    edge_count: int
    initiative_count: int
    components: int
    density: float
    betweenness_samples: int | None = Field(description="sources échantillonnées ; null si calcul exact")
    bridging_actors: list[str] = Field(description="points d'articulation et plus fortes intermédiarités")
    mixed_edge_share: float = Field(description="part des liens entre profils différents")
    mixite_average: float
    alliances: list[AllianceMeasure]
    profiles: list[ProfileCount]


class GraphOut(Schema):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    measures: GraphMeasures


@router.get("", response=GraphOut, summary="Graphe des partenariats")
def graph(request, theme: str = Query("", description="code du thème, ex. sante"),
          territory: str = Query("", description="niveau:code, ex. departement:62 (avec ce qu'il contient)"),
          since: str = Query("", description="AAAA-MM-JJ ou AAAA : partenariats actifs depuis"),
          until: str = Query("", description="AAAA-MM-JJ ou AAAA : partenariats commencés avant"),
          organisation: str = Query("", description="slug : son réseau (ses initiatives et leurs partenaires)")):
    """Organisations liées par les initiatives qu'elles partagent (seulement celles que vous pouvez voir),
    filtrées par thème, territoire (et ce qu'il contient), période ou autour d'une organisation."""
    params = {"theme": theme, "territory": territory, "since": since, "until": until, "organisation": organisation}
    try:
        payload = graph_for(request.user, GraphFilters.from_params(params, request.user))
    except GraphFilterError as exc:
        raise HttpError(422, str(exc)) from None
    # Serialised directly: validating 2,000 nodes and 15,000 links against GraphOut cost more than computing
    # them. The payload is built by graph_payload() in exactly that shape (tested); the schema documents it.
    return JsonResponse(payload)
