import time

from django.core.management.base import BaseCommand

from catalyse.territories.loader import territories_load


class Command(BaseCommand):
    help = "Charge le référentiel des territoires (régions, départements, EPCI, communes) ; idempotent."

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = territories_load()
        for line in report.lines():
            self.stdout.write(line)
        elapsed = time.perf_counter() - started
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Référentiel chargé en {elapsed:.1f} s."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Rien n'a changé ({elapsed:.1f} s)."))
