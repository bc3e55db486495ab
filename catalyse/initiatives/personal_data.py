"""The initiatives and files a person created, in their GDPR export (registered in apps.py)."""

from collections.abc import Iterable
from typing import Any

from .models import Initiative, Resource


def initiatives_created(user) -> tuple[Any, Iterable]:
    rows = [{"title": i.title, "slug": i.slug, "publication": i.publication, "visibility": i.visibility}
            for i in Initiative.objects.filter(created_by=user)]
    resources = Resource.objects.filter(created_by=user).exclude(file="")
    rows += [{"resource": r.title, "file": r.file.name} for r in resources]
    return rows, [r.file for r in resources]
