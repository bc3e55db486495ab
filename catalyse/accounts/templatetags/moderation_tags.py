"""`{% load moderation_tags %}` — links to the moderation and suggestion pages of any registered object.

On a public page: `{% suggest_links obj %}` renders "Proposer une modification · Signaler une erreur".
"""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

register = template.Library()


@register.filter
def ct_id(model_or_obj) -> int:
    return ContentType.objects.get_for_model(model_or_obj).pk


@register.simple_tag
def suggest_url(obj, kind: str = "edit") -> str:
    return reverse("accounts:suggest", args=[ct_id(obj), obj.pk]) + f"?type={kind}"


@register.inclusion_tag("accounts/_suggest_links.html")
def suggest_links(obj) -> dict:
    return {"edit_url": suggest_url(obj, "edit"), "error_url": suggest_url(obj, "error")}
