from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "catalyse.territories"
    label = "territories"
    verbose_name = "Territoires"
