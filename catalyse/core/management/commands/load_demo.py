from django.core.management.base import BaseCommand

from catalyse.core.registry import demo_loaders


class Command(BaseCommand):
    help = "Charge les données de démonstration de chaque module (idempotent)."

    def handle(self, *args, **options):
        # Apps register their loader from ready() (core.registry), with the loaders they need first.
        for demo in demo_loaders():
            self.stdout.write(f"{demo.label}: {demo.load()}")
        self.stdout.write(self.style.SUCCESS("Données de démonstration à jour."))
