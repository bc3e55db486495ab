"""The resources a person added, and their files, in their GDPR export (registered in apps.py)."""

from collections.abc import Iterable
from typing import Any

from .models import Resource


def resources_created(user) -> tuple[Any, Iterable]:
    resources = list(Resource.objects.filter(created_by=user))
    rows = [{"resource": r.title, "file": r.file.name, "url": r.url, "visibility": r.visibility} for r in resources]
    return rows, [r.file for r in resources if r.file]
