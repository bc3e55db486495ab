from django import template

from ..queries import initiatives_of_organisation

register = template.Library()


@register.inclusion_tag("initiatives/_organisation_initiatives_list.html", takes_context=True)
def organisation_initiatives(context, organisation, limit: int = 20):
    """The initiatives an organisation takes part in, as the person reading the page may see them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    initiatives = initiatives_of_organisation(organisation, user)
    return {"initiatives": initiatives[:limit], "total": initiatives.count(), "organisation": organisation}
