from django.apps import AppConfig

from catalyse.core.reference import reseed_after_flush


class ActorsConfig(AppConfig):
    name = "catalyse.actors"
    label = "actors"
    verbose_name = "Acteurs"

    def ready(self):
        from . import browse_cache, permissions  # noqa: F401  (registers the Organisation policy)

        browse_cache.connect()
        reseed_after_flush(self, "0002_trades_and_competences", "create_trades")
