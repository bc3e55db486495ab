from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Charge les données de démonstration de chaque module (idempotent)."

    def handle(self, *args, **options):
        # Each app that has demo content exposes `demo.load() -> str` (a one-line summary); apps load in
        # INSTALLED_APPS order, so initiatives find the organisations they refer to.
        for config in apps.get_app_configs():
            module = f"{config.name}.demo"
            if config.name.startswith("catalyse.") and find_spec(module):
                summary = import_module(module).load()
                self.stdout.write(f"{config.verbose_name}: {summary}")
        self.stdout.write(self.style.SUCCESS("Données de démonstration à jour."))
