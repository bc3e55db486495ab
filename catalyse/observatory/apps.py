from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "catalyse.observatory"
    label = "observatory"
    verbose_name = "Observatoire"

    def ready(self):
        from catalyse.core import registry

        from . import demo, importers  # noqa: F401  (importers registers the "indicators" import kind)
        from .blocks import register_blocks

        register_blocks()
        registry.register_demo(self, demo.load, after=["initiatives"])
