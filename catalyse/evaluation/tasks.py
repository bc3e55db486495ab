from django_tasks import task


@task()
def late_collections_remind_task() -> int:
    from .services import late_collections_remind

    return late_collections_remind()
