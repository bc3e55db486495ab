from django.apps import AppConfig

from catalyse.core.reference import reseed_after_flush


class ActorsConfig(AppConfig):
    name = "catalyse.actors"
    label = "actors"
    verbose_name = "Acteurs"

    def ready(self):
        from . import map_cache, permissions, search  # noqa: F401  (registers the Organisation policy)

        map_cache.connect()
        search.connect()
        reseed_after_flush(self, "0002_trades_and_competences", "create_trades")
