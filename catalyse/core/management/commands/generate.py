import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from catalyse.core.registry import Generator, derived, generators


class Command(BaseCommand):
    help = (
        "Génère un jeu de données fictif à l'échelle nationale (organisations, initiatives…), marqué comme tel, "
        "pour les démonstrations et les mesures de performance."
    )

    def add_arguments(self, parser):
        # One count option per generator that the installed apps registered (core.registry).
        for generator in generators():
            parser.add_argument(f"--{generator.name}", type=int, default=0, help=generator.help)
        parser.add_argument("--seed", type=int, default=0, help="graine du tirage (même graine, mêmes données)")
        parser.add_argument("--batch", type=int, default=10_000, help="lignes écrites par transaction")
        parser.add_argument("--clear", action="store_true", help="supprime d'abord les données générées")

    def handle(self, *args, seed, batch, clear, **options):
        self.verbosity = options["verbosity"]
        counts = {g.name: options.get(g.name) or 0 for g in generators()}
        if any(count < 0 for count in counts.values()) or batch < 1:
            raise CommandError("Les nombres doivent être positifs.")
        if clear:
            # Dependents first: generated initiatives point at generated organisations.
            for generator in reversed(generators()):
                self.stdout.write(f"{generator.label.capitalize()} générées supprimées : {generator.clear()}")
        if connection.vendor == "sqlite":
            # A large page cache keeps the growing indexes in memory during the bulk writes.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        try:
            for generator in generators():
                if counts[generator.name]:
                    self._run(generator, counts[generator.name], seed=seed,
                              batch=max(1, batch // generator.batch_divisor))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if clear or any(counts.values()):
            # Bulk writes send no signal: what apps derive from the rows is rebuilt once, at the end.
            for entry in derived():
                start = time.perf_counter()
                entry.rebuild()
                self.stdout.write(f"{entry.label.capitalize()} : recalcul en {time.perf_counter() - start:.1f} s.")

    def _run(self, generator: Generator, count: int, **kwargs) -> None:
        label = generator.label
        start = time.perf_counter()

        def progress(done: int) -> None:
            if self.verbosity >= 2:
                elapsed = time.perf_counter() - start
                self.stdout.write(f"  {label} : {done}/{count} ({done / elapsed:,.0f}/s)".replace(",", " "))

        generator.generate(count=count, progress=progress, **kwargs)
        elapsed = time.perf_counter() - start
        self.stdout.write(self.style.SUCCESS(
            f"{count} {label} générées en {elapsed:.1f} s ({count / elapsed:,.0f}/s).".replace(",", " ")
        ))
