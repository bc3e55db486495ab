from django.core.management.base import BaseCommand, CommandError

from catalyse.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Sauvegarde la base de données et les fichiers déposés dans une archive .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="chemin de l'archive (défaut : $CATALYSE_DATA_DIR/backups/)")

    def handle(self, *args, output=None, **options):
        try:
            path = backup_create(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
