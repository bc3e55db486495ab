from django.core.management.base import BaseCommand, CommandError

from catalyse.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restaure une archive faite par `catalyse backup` : REMPLACE la base et les fichiers déposés."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")

    def handle(self, *args, archive, yes=False, **options):
        if not yes and input("La base actuelle sera remplacée. Continuer ? [oui/non] ").strip().lower() != "oui":
            raise CommandError("Restauration annulée.")
        try:
            manifest = backup_restore(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restauré : sauvegarde {manifest['engine']} du {manifest['created_at']}.")
