from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "catalyse.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the policies)
