import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Génère un jeu de données fictif à l'échelle nationale (organisations, initiatives), marqué comme tel, "
        "pour les démonstrations et les mesures de performance."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=0, help="nombre d'organisations à créer")
        parser.add_argument("--initiatives", type=int, default=0, help="nombre d'initiatives à créer")
        parser.add_argument("--seed", type=int, default=0, help="graine du tirage (même graine, mêmes données)")
        parser.add_argument("--batch", type=int, default=10_000, help="lignes écrites par transaction")
        parser.add_argument("--clear", action="store_true", help="supprime d'abord les données générées")

    def handle(self, *args, organisations, initiatives, seed, batch, clear, **options):
        self.verbosity = options["verbosity"]
        from catalyse.actors.generate import organisations_clear, organisations_generate

        if organisations < 0 or initiatives < 0 or batch < 1:
            raise CommandError("Les nombres doivent être positifs.")
        with_initiatives = apps.is_installed("catalyse.initiatives")
        if initiatives and not with_initiatives:
            raise CommandError("Le module des initiatives n'est pas installé.")
        if clear:
            if with_initiatives:
                from catalyse.initiatives.generate import initiatives_clear

                self.stdout.write(f"Initiatives générées supprimées : {initiatives_clear()}")
            self.stdout.write(f"Organisations générées supprimées : {organisations_clear()}")
        if connection.vendor == "sqlite":
            # A large page cache keeps the growing indexes in memory during the bulk writes.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        try:
            if organisations:
                self._run("organisations", organisations, organisations_generate, seed=seed, batch=batch)
            if initiatives:
                from catalyse.initiatives.generate import initiatives_generate

                self._run("initiatives", initiatives, initiatives_generate, seed=seed, batch=max(1, batch // 2))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _run(self, label: str, count: int, generate, **kwargs) -> None:
        start = time.perf_counter()

        def progress(done: int) -> None:
            if self.verbosity >= 2:
                elapsed = time.perf_counter() - start
                self.stdout.write(f"  {label} : {done}/{count} ({done / elapsed:,.0f}/s)".replace(",", " "))

        generate(count=count, progress=progress, **kwargs)
        elapsed = time.perf_counter() - start
        self.stdout.write(self.style.SUCCESS(
            f"{count} {label} générées en {elapsed:.1f} s ({count / elapsed:,.0f}/s).".replace(",", " ")
        ))
