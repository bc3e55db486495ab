from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from catalyse.accounts.audit import audit_purge


class Command(BaseCommand):
    help = "Supprime les entrées du journal d'audit plus anciennes que CATALYSE_AUDIT_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="durée de conservation (défaut : le réglage)")

    def handle(self, *args, days=None, **options):
        removed = audit_purge(days=days)
        self.stdout.write(ngettext("%(n)s entrée supprimée.", "%(n)s entrées supprimées.", removed) % {"n": removed})
