from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "catalyse.search"
    label = "search"
    verbose_name = "Recherche"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the outbox hooks)
