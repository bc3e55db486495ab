"""Saves, deletes and visibility changes reach the index through the outbox and the task."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalyse.initiatives.models import Visibility
from catalyse.search.models import OutboxEntry
from catalyse.search.outbox import index_check
from catalyse.search.queries import SearchParams, search_run

from .conftest import initiative

pytestmark = pytest.mark.django_db


def titles(backend, q):
    res = search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict(f"q={q}")), backend=backend)
    return [h.title for h in res.hits]


def test_a_new_object_becomes_searchable(backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        initiative("Ressourcerie du canton", "Un lieu de réemploi")
    assert titles(backend, "ressourcerie") == ["Ressourcerie du canton"]
    assert not OutboxEntry.objects.exists()


def test_an_edit_becomes_searchable(backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        i = initiative("Ressourcerie du canton", "Un lieu de réemploi")
    with django_capture_on_commit_callbacks(execute=True):
        i.title = "Recyclerie du canton"
        i.save()
    assert titles(backend, "ressourcerie") == []
    assert titles(backend, "recyclerie") == ["Recyclerie du canton"]


def test_a_deletion_disappears(backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        i = initiative("Ressourcerie du canton", "Un lieu de réemploi")
    with django_capture_on_commit_callbacks(execute=True):
        i.delete()
    assert titles(backend, "ressourcerie") == []
    assert index_check(backend) == (set(), set())


def test_a_visibility_change_hides_the_object(backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        i = initiative("Ressourcerie du canton", "Un lieu de réemploi")
    with django_capture_on_commit_callbacks(execute=True):
        i.visibility = Visibility.MEMBERS
        i.save()
    assert titles(backend, "ressourcerie") == []


def test_one_task_per_transaction(backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for n in range(5):
            initiative(f"Atelier {n}")
    assert len(callbacks) == 1


def test_check_reports_missing_and_stale_documents(backend):
    i = initiative("Ressourcerie du canton", "Un lieu de réemploi")
    missing, stale = index_check(backend)
    assert f"initiative:{i.pk}" in missing and not stale
