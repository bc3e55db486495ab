"""Reference rows seeded by data migrations (trades, themes, SDGs) must survive a database flush.

`flush` (and the test runner's flush between live-server tests) empties every table, then sends
post_migrate; like Django's content types, we re-seed from the very function the migration runs.
"""

from importlib import import_module

from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def reseed_after_flush(app_config, migration: str, function: str = "seed") -> None:
    """Connect post_migrate so `<app>.migrations.<migration>.<function>(apps, None)` runs again."""
    def handler(sender, using="default", **kwargs):
        seed = getattr(import_module(f"{app_config.name}.migrations.{migration}"), function)
        seed(global_apps, None)

    post_migrate.connect(handler, sender=app_config, weak=False, dispatch_uid=f"reseed-{app_config.label}")
