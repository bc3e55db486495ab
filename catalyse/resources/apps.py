from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "catalyse.resources"
    label = "resources"
    verbose_name = "Ressources"

    def ready(self) -> None:
        from catalyse.accounts import personal_data
        from catalyse.core import registry

        from . import demo, permissions, search, signals  # noqa: F401  (permissions registers the policies)
        from .personal_data import resources_created

        signals.connect()
        search.connect()
        personal_data.register("resources_created", resources_created)
        # Demo resources name demo organisations, initiatives and the 2019 annual meeting.
        registry.register_demo(self, demo.load, after=["initiatives", "events"])
