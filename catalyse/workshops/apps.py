from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "catalyse.workshops"
    label = "workshops"
    verbose_name = "Ateliers"

    def ready(self) -> None:
        from catalyse.accounts import personal_data
        from catalyse.core import registry

        from . import demo, permissions  # noqa: F401  (permissions registers the board policy)
        from .personal_data import participations, participations_erase

        personal_data.register("workshop_participations", participations)
        personal_data.register_eraser("workshop_participations", participations_erase)
        # The demo boards belong to the events app's 2019 annual meeting.
        registry.register_demo(self, demo.load, after=["events", "actors"])
