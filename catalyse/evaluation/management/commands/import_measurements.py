from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from catalyse.core.imports import import_run
from catalyse.core.models import ImportRun, ImportStatus
from catalyse.evaluation.importers import IMPORTERS, KIND
from catalyse.evaluation.permissions import can_contribute
from catalyse.initiatives.models import Initiative


class Command(BaseCommand):
    help = ("Importe les mesures d'une initiative depuis un fichier CSV ou XLSX (le modèle ou l'export des mesures). "
            "Les mesures importées sont des brouillons au nom de --user, partenaire de l'initiative ; relancer le "
            "même fichier ne change rien ; les erreurs par ligne sont rapportées.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--initiative", required=True, help="slug de l'initiative")
        parser.add_argument("--user", required=True, help="adresse électronique de l'auteur des mesures")
        parser.add_argument("--format", choices=sorted(IMPORTERS), help="par défaut : d'après l'extension")
        parser.add_argument("--dry-run", action="store_true", help="valider et compter sans rien écrire")

    def handle(self, *args, file: Path, initiative: str, user: str, format: str | None, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        found = Initiative.objects.filter(slug=initiative).first()
        if found is None:
            raise CommandError(f"Initiative inconnue : {initiative}")
        person = get_user_model().objects.filter(email__iexact=user).first()
        if person is None or not can_contribute(person, found):
            raise CommandError(f"{user} n'est pas partenaire de l'initiative {initiative}.")
        fmt = format or ("xlsx" if file.suffix.lower() == ".xlsx" else "csv")
        run = ImportRun.objects.create(kind=KIND, format=fmt, file_name=file.name, dry_run=dry_run,
                                       options={"initiative": found.pk}, created_by=person)
        run = import_run(run, file)
        if run.status == ImportStatus.FAILED:
            raise CommandError(run.message)
        prefix = "Simulation — rien n'a été écrit. " if dry_run else ""
        self.stdout.write(f"{prefix}{run.rows_done} lignes lues : {run.created} créées, {run.updated} mises à jour, "
                          f"{run.unchanged} inchangées, {run.errors} refusées.")
        if run.error_report:
            self.stdout.write(f"Rapport d'erreurs : {run.error_report.path}")
