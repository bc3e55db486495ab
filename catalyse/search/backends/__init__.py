"""Choose the search engine: CATALYSE_SEARCH_BACKEND = "tantivy" (default) or "postgres"."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .base import SearchBackend

BACKENDS = ("tantivy", "postgres")


def backend_name() -> str:
    return getattr(settings, "CATALYSE_SEARCH_BACKEND", None) or os.environ.get("CATALYSE_SEARCH_BACKEND", "tantivy")


def available_backends() -> list[str]:
    return ["tantivy", "postgres"] if connection.vendor == "postgresql" else ["tantivy"]


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or backend_name()
    if name == "tantivy":
        from .tantivy_backend import TantivyBackend

        return TantivyBackend.for_settings()
    if name == "postgres":
        if connection.vendor != "postgresql":
            raise ImproperlyConfigured("CATALYSE_SEARCH_BACKEND=postgres needs a PostgreSQL database.")
        from .postgres_backend import PostgresBackend

        return PostgresBackend()
    raise ImproperlyConfigured(f"Unknown CATALYSE_SEARCH_BACKEND {name!r}; choose one of {', '.join(BACKENDS)}.")
