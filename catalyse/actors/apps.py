from django.apps import AppConfig

from catalyse.core.reference import reseed_after_flush


class ActorsConfig(AppConfig):
    name = "catalyse.actors"
    label = "actors"
    verbose_name = "Acteurs"

    def ready(self):
        # permissions registers the Organisation policy, importers the organisations import kind.
        from . import importers, map_cache, permissions  # noqa: F401

        map_cache.connect()
        reseed_after_flush(self, "0002_trades_and_competences", "create_trades")
