from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalyse.core.imports import import_run
from catalyse.core.models import ImportRun, ImportStatus
from catalyse.territories.models import Level


class Command(BaseCommand):
    help = ("Importe les valeurs d'un indicateur depuis un CSV d'observatoire (codgeo, libgeo, an ou une colonne "
            "par année). Relancer le même fichier ne change rien ; les erreurs par ligne sont rapportées.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--indicator", required=True, help="code de l'indicateur (catalogue)")
        parser.add_argument("--level", default=Level.COMMUNE, choices=Level.values)
        parser.add_argument("--year", type=int, help="année, si le fichier n'en donne pas")
        parser.add_argument("--column", default="", help="colonne de valeurs, s'il y en a plusieurs")
        parser.add_argument("--dry-run", action="store_true", help="valider et compter sans rien écrire")

    def handle(self, *args, file: Path, indicator: str, level: str, year: int | None, column: str, dry_run: bool,
               **options):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        run = ImportRun.objects.create(kind="indicators", format="csv", file_name=file.name, dry_run=dry_run,
                                       options={"indicator": indicator, "level": level, "year": year,
                                                "column": column})
        run = import_run(run, file)
        if run.status == ImportStatus.FAILED:
            raise CommandError(run.message)
        prefix = "Simulation — rien n'a été écrit. " if dry_run else ""
        self.stdout.write(f"{prefix}{run.rows_done} lignes lues : {run.created} valeurs créées, {run.updated} "
                          f"mises à jour, {run.unchanged} inchangées, {run.errors} lignes refusées, "
                          f"{run.warnings} avertissements.")
        if run.error_report:
            self.stdout.write(f"Rapport d'erreurs : {run.error_report.path}")
