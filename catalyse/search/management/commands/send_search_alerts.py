from django.core.management.base import BaseCommand

from catalyse.search.models import Frequency
from catalyse.search.tasks import send_search_alerts_task


class Command(BaseCommand):
    help = "Queue the digest emails of saved searches (run daily from cron; weekly ones go out every 7 days)."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=[f.value for f in Frequency], action="append")

    def handle(self, *args, frequency, **opts):
        for f in frequency or [f.value for f in Frequency]:
            result = send_search_alerts_task.enqueue(f)
            self.stdout.write(f"{f}: tâche {result.id} ({result.status})")
