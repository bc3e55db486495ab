import time

from django.core.management.base import BaseCommand

from catalyse.observatory.counts import counts_rebuild


class Command(BaseCommand):
    help = ("Recalcule les comptes d'organisations et d'initiatives par territoire (pages des territoires) à partir "
            "des données : après une écriture en masse sans signal ou un changement du référentiel des territoires.")

    def handle(self, *args, **options):
        start = time.perf_counter()
        done = counts_rebuild()
        self.stdout.write(f"Comptes par territoire recalculés en {time.perf_counter() - start:.1f} s : "
                          f"{done['organisation']} organisations, {done['initiative']} initiatives.")
