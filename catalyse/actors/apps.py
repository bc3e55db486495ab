from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "catalyse.actors"
    label = "actors"
    verbose_name = "Acteurs"

    def ready(self):
        from . import map_cache, permissions  # noqa: F401  (registers the Organisation policy)

        map_cache.connect()
