"""The initiatives app's resources move into the library with their id, file, initiative, author and date."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from catalyse.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("initiatives", "0005_partner_profiles"), ("resources", None)]
COPIED = [("resources", "0001_library_and_toolbox")]
MIGRATION = importlib.import_module("catalyse.resources.migrations.0001_library_and_toolbox")


def _state(executor: MigrationExecutor, targets):
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_initiative_resources_are_copied_once_with_their_file_and_initiative(territories):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = _state(executor, BEFORE[:1])
        user = UserFactory()  # the accounts tables are as today: the current model writes them
        initiative = old.get_model("initiatives", "Initiative").objects.create(
            title="Alliance ancienne", slug="alliance-ancienne", summary="x", search_text="x"
        )
        created = timezone.make_aware(datetime.datetime(2021, 5, 4, 10, 0))
        old_resource = old.get_model("initiatives", "Resource")
        document = old_resource.objects.create(
            initiative=initiative,
            kind="document",
            title="Bilan 2020",
            file="initiatives/resources/bilan.pdf",
            created_by_id=user.pk,
        )
        video = old_resource.objects.create(
            initiative=initiative,
            kind="video",
            title="Reportage",
            url="https://video.exemple.fr/1",
            description="Le tournage.",
        )
        old_resource.objects.filter(pk=document.pk).update(created_at=created)

        executor = MigrationExecutor(connection)
        executor.migrate(COPIED)  # runs copy_initiative_resources
        apps = _state(executor, COPIED)
        new = apps.get_model("resources", "Resource")
        moved = new.objects.get(pk=document.pk)
        assert (moved.title, moved.resource_type, moved.file.name) == (
            "Bilan 2020",
            "publication",
            "initiatives/resources/bilan.pdf",
        )
        assert moved.owner_initiative_id == initiative.pk and moved.created_by_id == user.pk
        assert moved.created_at == created and moved.visibility == "public" and moved.owner_organisation_id is None
        assert new.objects.filter(
            pk=video.pk, resource_type="video", url="https://video.exemple.fr/1", summary="Le tournage."
        ).exists()

        with connection.schema_editor() as editor:
            MIGRATION.copy_initiative_resources(apps, editor)  # again: nothing is copied twice
        assert new.objects.count() == 2
        # The sequence follows the copied ids (PostgreSQL): a new resource takes a fresh one.
        assert new.objects.create(title="Nouvelle", url="https://exemple.fr/").pk > video.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
