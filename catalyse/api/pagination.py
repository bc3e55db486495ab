from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class LimitOffset(PaginationBase):
    """`limit` (1–100, default 20) and `offset`; the response carries the total `count`."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100, description="Nombre d'éléments (1 à 100)")
        # Bounded: databases refuse an OFFSET beyond 64 bits (SQLite answers "datatype mismatch").
        offset: int = Field(0, ge=0, le=10**12, description="Décalage depuis le premier élément")

    class Output(Schema):
        count: int
        limit: int
        offset: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, **params) -> dict:
        return {
            "count": queryset.count() if isinstance(queryset, QuerySet) else len(queryset),
            "limit": pagination.limit,
            "offset": pagination.offset,
            "items": queryset[pagination.offset : pagination.offset + pagination.limit],
        }
