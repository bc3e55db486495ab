"""The organisations a person created, in their GDPR export (registered in apps.py)."""

from collections.abc import Iterable
from typing import Any

from .models import Organisation


def organisations_created(user) -> tuple[Any, Iterable]:
    orgs = Organisation.objects.filter(created_by=user)
    return [{"name": o.name, "slug": o.slug, "status": o.status} for o in orgs], [o.logo for o in orgs if o.logo]
