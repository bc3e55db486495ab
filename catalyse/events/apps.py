from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "catalyse.events"
    label = "events"
    verbose_name = "Événements"

    def ready(self) -> None:
        from catalyse.accounts import personal_data
        from catalyse.core import registry

        from . import demo, permissions, queries, search, services  # noqa: F401  (permissions registers the policy)
        from .personal_data import registrations

        search.connect()
        personal_data.register("event_registrations", registrations)
        personal_data.register_eraser("event_registrations", lambda user: services.registrations_erase(user=user))
        # The demo events name demo organisations as organisers and speakers.
        registry.register_demo(self, demo.load, after=["actors"])
        registry.register_home_block(self, "upcoming", "events/_upcoming.html",
                                     lambda request: {"upcoming": queries.upcoming_events()}, order=40)
