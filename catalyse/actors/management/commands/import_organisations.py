from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalyse.actors.importers import IMPORTERS
from catalyse.core.imports import import_run
from catalyse.core.models import ImportRun, ImportStatus


class Command(BaseCommand):
    help = ("Importe des organisations depuis le modèle CSV/XLSX, un export RNA (waldec) ou le stock SIRENE des "
            "établissements. Relancer le même fichier ne change rien ; les erreurs par ligne sont rapportées.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=sorted(IMPORTERS))
        parser.add_argument("--dry-run", action="store_true", help="valider et compter sans rien écrire")
        parser.add_argument("--unpublished", action="store_true",
                            help="créer les organisations en attente de modération au lieu de les publier")
        parser.add_argument("--departement", nargs="+", default=[], help="ne garder que ces départements (62 2A 974)")
        parser.add_argument("--naf", nargs="+", default=[], help="SIRENE : codes d'activité ou préfixes (88.99B 94)")
        parser.add_argument("--legal-form", nargs="+", default=[],
                            help="SIRENE : catégories juridiques ou préfixes (92 5458), si le fichier les contient")

    def handle(self, *args, file: Path, format: str, dry_run: bool, unpublished: bool, departement: list[str],
               naf: list[str], legal_form: list[str], **options):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        run = ImportRun.objects.create(
            kind="organisations", format=format, file_name=file.name, dry_run=dry_run,
            options={"unpublished": unpublished, "departements": departement, "naf": naf, "legal_forms": legal_form},
        )
        run = import_run(run, file)
        if run.status == ImportStatus.FAILED:
            raise CommandError(run.message)
        prefix = "Simulation — rien n'a été écrit. " if dry_run else ""
        self.stdout.write(
            f"{prefix}{run.rows_done} lignes lues : {run.created} créées, {run.updated} mises à jour, "
            f"{run.unchanged} inchangées, {run.skipped} hors filtres, {run.errors} refusées, "
            f"{run.warnings} valeurs ignorées."
        )
        if run.error_report:
            self.stdout.write(f"Rapport d'erreurs : {run.error_report.path}")
