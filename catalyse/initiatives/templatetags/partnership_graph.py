"""Template tags that put the partnership graph and the partner suggestions on other apps' pages:

    {% load partnership_graph %}
    {% graph_embed organisation=organisation %}      the organisation's ego network
    {% graph_embed territory=territory %}            the graph of a territory (and what it contains)
    {% partnership_suggestions organisation %}       complementary actors near it, with the reasons
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from catalyse.actors.models import Profile

from ..graph import PROFILE_COLOURS
from ..partner_suggestions import partner_suggestions_for

register = template.Library()


def legend() -> list[dict]:
    return [{"code": code, "label": label, "colour": PROFILE_COLOURS[code]} for code, label in Profile.choices]


@register.inclusion_tag("initiatives/_graph_view.html")
def graph_view(graph: dict, graph_id: str = "graph", tall: bool = False) -> dict:
    """The interactive graph of an already computed payload (the /graphe/ page)."""
    return {"graph": graph, "graph_id": graph_id, "data_id": f"{graph_id}-data", "tall": tall, "legend": legend()}


@register.inclusion_tag("initiatives/_graph_embed.html")
def graph_embed(organisation=None, territory=None) -> dict:
    """The graph around an organisation or of a territory, fetched from the API by the browser."""
    if organisation is not None:
        params, page_params = {"organisation": organisation.slug}, {"organisation": organisation.slug}
        graph_id = f"graph-organisation-{organisation.pk}"
    else:
        code = territory.key
        params, page_params = {"territory": code}, {"territoire": code}
        graph_id = f"graph-territory-{territory.pk}"
    return {
        "graph_url": f"{reverse('api:graph')}?{urlencode(params)}",
        "page_url": f"{reverse('graph:page')}?{urlencode(page_params)}",
        "graph_id": graph_id,
        "organisation": organisation,
        "territory": territory,
        "legend": legend(),
    }


@register.inclusion_tag("initiatives/_suggestions.html", takes_context=True)
def partnership_suggestions(context, organisation) -> dict:
    request = context.get("request")
    return {"organisation": organisation,
            "suggestions": partner_suggestions_for(getattr(request, "user", None), organisation)}
