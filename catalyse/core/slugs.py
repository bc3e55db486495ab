import re

from django.db import connection
from django.db.models import Model, Q
from django.utils.text import slugify

# Words that are pages below a listing (/organisations/nouvelle/, /organisations/import/…): never object slugs.
RESERVED = frozenset({"nouvelle", "ajouter", "import", "doublons", "export", "modifier"})


def unique_slug(model: type[Model], text: str, *, max_length: int = 100, exclude_pk=None) -> str:
    """A slug for `text` not yet used by `model`: "alliance", then "alliance-2", "alliance-3"…"""
    base = slugify(text)[:max_length].strip("-") or "element"
    taken = set(
        model._default_manager.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    taken |= RESERVED
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


_SUFFIX = re.compile(r"-(\d+)$")


def unique_slugs(model: type[Model], texts: list[str], *, max_length: int = 100,
                 highest: dict[str, int] | None = None) -> list[str]:
    """Unique slugs for many texts at once (imports): a few queries per batch instead of one per text.

    `highest` maps a base slug to the highest number already used for it (0: free, 1: the bare base);
    pass the same dict to consecutive calls of one import so that each base is looked up only once.
    """
    highest = {} if highest is None else highest
    bases = [slugify(text)[:max_length].strip("-") or "element" for text in texts]
    unknown = set(bases) - highest.keys()
    if unknown:
        manager = model._default_manager
        taken = set(manager.filter(slug__any_of=unknown).order_by().values_list("slug", flat=True))
        for base in unknown:
            highest[base] = 1 if base in taken or base in RESERVED else 0
        collided = sorted(taken)
        for i in range(0, len(collided), 100):
            q = Q()
            for base in collided[i:i + 100]:
                # On SQLite, LIKE (startswith) cannot use the slug index; a range on it can ("." follows "-").
                q |= Q(slug__gt=f"{base}-", slug__lt=f"{base}.") if connection.vendor == "sqlite" \
                    else Q(slug__startswith=f"{base}-")
            for slug in manager.filter(q).order_by().values_list("slug", flat=True).iterator():
                match = _SUFFIX.search(slug)
                base = slug[: match.start()] if match else ""
                if base in highest:
                    highest[base] = max(highest[base], int(match.group(1)))
    slugs = []
    for base in bases:
        n = highest[base] + 1
        highest[base] = n
        slugs.append(base if n == 1 else f"{base}-{n}")
    return slugs
