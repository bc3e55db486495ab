"""Saves, deletes and visibility changes reach the index through the outbox and the task."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalyse.initiatives.models import Visibility
from catalyse.search.models import OutboxEntry
from catalyse.search.outbox import _ProcessAfterCommit, index_check
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
    assert len([c for c in callbacks if isinstance(c, _ProcessAfterCommit)]) == 1  # others: cache versions


def test_check_reports_missing_and_stale_documents(backend):
    i = initiative("Ressourcerie du canton", "Un lieu de réemploi")
    missing, stale = index_check(backend)
    assert f"initiative:{i.pk}" in missing and not stale


def test_imported_organisations_become_searchable_and_re_imported_changes_follow(backend, tmp_path):
    """Imports write rows in bulk (no post_save): each batch still leaves outbox rows for the worker."""
    from catalyse.actors.tests.import_helpers import RNA_HEADER, rna_line, run_import, write_file
    from catalyse.search.outbox import outbox_process

    def rna(title):
        return write_file(tmp_path, "rna_waldec_62.csv", [RNA_HEADER, rna_line("W623000009", title)])

    def found(words):
        return [h.title for h in search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict(f"q={words}")),
                                            backend=backend).hits]

    run_import(rna("RESSOURCERIE DU BASSIN MINIER"), "rna")
    assert OutboxEntry.objects.filter(kind="organisation").count() == 1
    outbox_process(backend)
    assert found("ressourcerie") == ["RESSOURCERIE DU BASSIN MINIER"]

    run_import(rna("RECYCLERIE DU BASSIN MINIER"), "rna")
    outbox_process(backend)
    assert found("ressourcerie") == [] and found("recyclerie") == ["RECYCLERIE DU BASSIN MINIER"]


def test_an_organisation_in_a_commune_added_after_the_referential_was_cached_is_found_by_its_region():
    """Worker processes cache the territories; `load_territories` may add communes (yearly update) meanwhile."""
    from catalyse.actors.tests.factories import commune
    from catalyse.search.documents import territory_index
    from catalyse.search.registry import indexed_kinds
    from catalyse.territories.models import Territory

    from .conftest import organisation

    territory_index()  # cached before the new commune exists
    lille = commune("59350")
    new = Territory.objects.create(level=lille.level, code="59999", name="Commune nouvelle", search_name="commune",
                                   region=lille.region, departement=lille.departement)
    org = organisation("Atelier de la commune nouvelle", head_office=new, region=lille.region,
                       departement=lille.departement)
    doc = next(indexed_kinds()["organisation"].documents([org.pk]))
    assert "region:32" in doc.territories and doc.region == ["32"] and doc.departement == ["59"]
