import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from .conftest import initiative

pytestmark = pytest.mark.django_db


def test_rebuild_then_check_agree(backend, capsys):
    initiative("Recyclerie du canton")
    with pytest.raises(CommandError):
        call_command("search_index", "--check", backend=backend.name)
    call_command("search_index", "--rebuild", backend=backend.name)
    assert "1 documents" in capsys.readouterr().out
    call_command("search_index", "--check", backend=backend.name)
    assert "conforme" in capsys.readouterr().out


def test_process_applies_the_outbox(backend, capsys):
    initiative("Recyclerie du canton")  # the signal queued it; no commit ran the task in this test
    call_command("search_index", "--process", backend=backend.name)
    assert backend.doc_ids() == {d for d in backend.doc_ids() if d.startswith("initiative:")} != set()


def test_ensure_rebuilds_an_empty_index_only_when_the_database_has_content(backend, capsys):
    call_command("search_index", "--ensure", backend=backend.name)
    assert "rien à reconstruire" in capsys.readouterr().out
    initiative("Recyclerie du canton")
    call_command("search_index", "--ensure", backend=backend.name)
    assert "1 documents" in capsys.readouterr().out
    call_command("search_index", "--ensure", backend=backend.name)
    assert "rien à reconstruire" in capsys.readouterr().out


def test_an_index_of_an_older_schema_is_emptied_and_pages_read_the_database_until_rebuilt(settings, tmp_path, client):
    """After an upgrade that changes the index's fields, the directory must not look empty."""
    from catalyse.actors.tests.factories import OrganisationFactory
    from catalyse.search.backends import get_backend
    from catalyse.search.backends.tantivy_backend import _indexes

    settings.CATALYSE_SEARCH_BACKEND, settings.CATALYSE_SEARCH_INDEX_DIR = "tantivy", tmp_path / "index"
    settings.CATALYSE_BROWSE_FROM_INDEX = True
    OrganisationFactory(name="Ressourcerie des Flandres")
    _indexes.clear()
    call_command("search_index", "--rebuild")
    (tmp_path / "index" / "schema-version").write_text("0")  # as written by an older release
    _indexes.clear()
    engine = get_backend()
    assert engine.needs_rebuild and engine.doc_count() == 0
    assert "Ressourcerie des Flandres" in client.get("/organisations/").content.decode()  # from the database

    call_command("search_index", "--ensure")
    assert not engine.needs_rebuild and engine.doc_count() == 1
    assert "Ressourcerie des Flandres" in client.get("/organisations/").content.decode()  # from the index
    _indexes.clear()


def _encoded_parts(workers: int) -> list:
    from catalyse.search.backends.tantivy_backend import document_json
    from catalyse.search.rebuild import encoded_documents

    with encoded_documents(document_json, workers=workers, part_size=2) as parts:
        return list(parts)


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_in_worker_processes_encodes_what_one_process_does(territories):
    """Workers read through their own connection: PostgreSQL or a file SQLite database, not in-memory."""
    from catalyse.actors.tests.factories import OrganisationFactory
    from catalyse.search.rebuild import _may_fork

    if not _may_fork():
        pytest.skip("worker processes cannot open an in-memory SQLite database")
    for name in ("Garage solidaire", "Ressourcerie des Flandres", "Épicerie sociale"):
        OrganisationFactory(name=name)
    initiative("Recyclerie du canton", recit="Une recyclerie répare les vélos du canton.")
    in_process = _encoded_parts(workers=1)
    assert _encoded_parts(workers=2) == in_process
    documents = [json.loads(d) for docs, _ in in_process for d in docs]
    assert {d["oid"] for d in documents if d["kind"] == "initiative"} != set()
    assert sum((words for _, words in in_process), Counter())["recyclerie"] == 3  # title, summary, récit


def test_an_encoded_document_is_valid_json_whatever_its_lists_hold():
    """Lists of plain codes are joined without escaping each value (rebuild speed): anything else must still be
    escaped, and an empty list must stay empty."""
    import base64
    import json

    from catalyse.search.backends.tantivy_backend import document_json
    from catalyse.search.documents import SearchDocument

    odd = ['guillemet " dedans', "barre \\ oblique", "retour\nà la ligne", "espace\u00a0insécable", ""]
    doc = SearchDocument(kind="initiative", object_id=7, title="Titre", url="/i/7/",
                         terms={"themes": odd, "sdgs": []}, territories=["region:32", "departement:59"],
                         identifiers=["W\"1"])
    encoded = json.loads(document_json(doc))
    assert encoded["themes"] == odd and encoded["territories"] == ["region:32", "departement:59"]
    assert encoded["identifiers"] == ['W"1'] and "sdgs" not in encoded
    payload = json.loads(base64.b64decode(encoded["payload"]))
    assert payload["terms"]["themes"] == odd and payload["terms"]["sdgs"] == []
