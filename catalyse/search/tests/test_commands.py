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
