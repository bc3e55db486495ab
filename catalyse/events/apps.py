from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "catalyse.events"
    label = "events"
    verbose_name = "Événements"
