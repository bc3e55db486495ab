from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "catalyse.core"
    label = "core"

    def ready(self) -> None:
        from . import lookups  # noqa: F401 (registers the `any_of` lookup)
