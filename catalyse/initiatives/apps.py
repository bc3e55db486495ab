from django.apps import AppConfig

from catalyse.core.reference import reseed_after_flush


class InitiativesConfig(AppConfig):
    name = "catalyse.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives"

    def ready(self) -> None:
        from . import permissions, search, signals  # noqa: F401  (permissions registers the policies)

        signals.connect()
        search.connect()
        reseed_after_flush(self, "0002_themes_and_sdgs")
