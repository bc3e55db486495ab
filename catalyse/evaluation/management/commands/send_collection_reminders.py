from django.core.management.base import BaseCommand

from catalyse.evaluation.tasks import late_collections_remind_task


class Command(BaseCommand):
    help = "Queue the reminders of late indicator collections (run weekly from cron)."

    def handle(self, *args, **opts):
        result = late_collections_remind_task.enqueue()
        self.stdout.write(f"tâche {result.id} ({result.status})")
