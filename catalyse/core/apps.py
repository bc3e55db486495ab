from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "catalyse.core"
    label = "core"
