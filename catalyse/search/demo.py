"""`catalyse load_demo` step: index what the other apps' demo loaders created (bulk paths skip signals)."""

from .outbox import index_rebuild


def load() -> str:
    return f"Recherche : {index_rebuild()} documents indexés"
