from django_tasks import task

from .outbox import outbox_process


@task()
def process_outbox_task() -> int:
    return outbox_process()


@task()
def send_search_alerts_task(frequency: str) -> int:
    from .alerts import search_alerts_send

    return search_alerts_send(frequency=frequency)
