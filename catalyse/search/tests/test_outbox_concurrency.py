"""Two workers draining the outbox at once (PostgreSQL engine, several worker machines)."""

import threading

import pytest
from django.db import connection

from catalyse.actors.models import Organisation
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.search.backends.postgres_backend import PostgresBackend
from catalyse.search.models import OutboxEntry, OutboxOp
from catalyse.search.outbox import outbox_process

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def indexed_title(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM search_pg_document WHERE doc_id = %s", [f"organisation:{pk}"])
        return cursor.fetchone()[0]


def test_a_drain_that_built_a_document_before_the_latest_change_does_not_write_it_last(
        settings, territories, monkeypatch):
    settings.CATALYSE_SEARCH_BACKEND = "postgres"  # this process's tasks run inline: each commit drains too
    org = OrganisationFactory(name="Premier nom")
    # A change whose task a first worker picked up: it builds the document, then is slow to write it.
    Organisation.objects.filter(pk=org.pk).update(name="Deuxième nom")
    OutboxEntry.objects.create(kind="organisation", object_id=org.pk, op=OutboxOp.UPSERT)
    built, resume = threading.Event(), threading.Event()
    write = PostgresBackend.index_documents

    def slow_first_worker(self, docs):
        if threading.current_thread().name == "first-worker":
            built.set()
            resume.wait(timeout=2)
        write(self, docs)

    monkeypatch.setattr(PostgresBackend, "index_documents", slow_first_worker)

    def first_worker():
        try:
            outbox_process()
        finally:
            connection.close()

    worker = threading.Thread(target=first_worker, name="first-worker")
    worker.start()
    assert built.wait(timeout=10)
    org.name = "Troisième nom"
    org.save()  # committed, then drained here: a second worker
    resume.set()
    worker.join(timeout=10)

    assert indexed_title(org.pk) == "Troisième nom"
    assert not OutboxEntry.objects.exists()
