from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "catalyse.workshops"
    label = "workshops"
    verbose_name = "Ateliers"

    def ready(self) -> None:
        from catalyse.accounts import personal_data
        from catalyse.core import registry

        from . import demo, demo_synthesis, permissions, synthesis  # noqa: F401  (permissions: the board policy)
        from .personal_data import participations, participations_erase, syntheses_edited

        synthesis.connect()  # the syntheses' policy and search kind

        personal_data.register("workshop_participations", participations)
        personal_data.register_eraser("workshop_participations", participations_erase)
        personal_data.register("workshop_syntheses", syntheses_edited)

        def load_demo() -> str:
            return f"{demo.load()} ; {demo_synthesis.load()}"

        # The demo boards belong to the events app's 2019 annual meeting; syntheses cite demo initiatives.
        registry.register_demo(self, load_demo, after=["events", "actors", "initiatives"])
