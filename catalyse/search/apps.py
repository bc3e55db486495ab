from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The apps that own indexed objects register their kinds (registry.py) from their own `ready()`."""

    name = "catalyse.search"
    label = "search"
    verbose_name = "Recherche"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .backends.postgres_backend import add_declared_columns

        post_migrate.connect(add_declared_columns, sender=self, dispatch_uid="search-pg-columns")
