"""The initiatives a person created, in their GDPR export (registered in apps.py)."""

from collections.abc import Iterable
from typing import Any

from .models import Initiative


def initiatives_created(user) -> tuple[Any, Iterable]:
    rows = [{"title": i.title, "slug": i.slug, "publication": i.publication, "visibility": i.visibility}
            for i in Initiative.objects.filter(created_by=user)]
    return rows, []
