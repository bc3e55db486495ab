from django.db.models import Model
from django.utils.text import slugify


def unique_slug(model: type[Model], text: str, *, max_length: int = 100, exclude_pk=None) -> str:
    """A slug for `text` not yet used by `model`: "alliance", then "alliance-2", "alliance-3"…"""
    base = slugify(text)[:max_length].strip("-") or "element"
    taken = set(
        model._default_manager.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
