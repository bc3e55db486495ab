"""A new app becomes moderated, searchable, exported and demonstrated by registering from its ready() alone.

The app is `core/tests/pluggable` (a `Note` model), installed only by the test settings: neither accounts, core
nor search name it.
"""

import io
import json
import zipfile
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse

from catalyse.core.tests.pluggable.models import Note, NoteStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(member):
    return Note.objects.create(title="Note proposée par un membre", body="Un texte à relire.", created_by=member)


def _moderate(client, animator, note, decision: str, message: str = "") -> None:
    client.force_login(animator)
    url = reverse("accounts:moderation_item", args=[ContentType.objects.get_for_model(note).pk, note.pk])
    assert client.post(url, {"decision": decision, "message": message}).status_code == 302
    note.refresh_from_db()


def test_a_proposed_note_waits_in_the_moderation_queue(client, animator, note):
    client.force_login(animator)
    page = client.get(reverse("accounts:moderation")).content.decode()
    assert "Notes (1)" in page and note.title in page


def test_an_animator_approves_a_note(client, animator, note):
    _moderate(client, animator, note, "approve")
    assert note.status == NoteStatus.PUBLISHED


def test_an_animator_rejects_a_note_with_a_message(client, animator, note):
    _moderate(client, animator, note, "reject", "Hors sujet.")
    assert note.status == NoteStatus.REJECTED


def test_a_persons_notes_are_in_their_personal_data_export(client, member, note):
    client.force_login(member)
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("accounts:data_export")).content))
    data = json.loads(archive.read("donnees.json"))
    assert data["notes_created"] == [{"title": note.title, "status": NoteStatus.PENDING}]


def test_load_demo_runs_the_loader_of_the_new_app_after_the_others():
    out = StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert Note.objects.filter(title="Note de démonstration", status=NoteStatus.PUBLISHED).exists()
    labels = [line.split(":")[0] for line in lines]
    assert labels.index("Acteurs") < labels.index("Initiatives") < labels.index("Notes")
    assert "Notes: 1 note (1 créée)" in lines


def test_generate_offers_a_count_option_for_the_new_app_and_clears_what_it_made(note):
    call_command("generate", notes=3, verbosity=0)
    assert Note.objects.count() == 4
    call_command("generate", clear=True, verbosity=0)
    assert list(Note.objects.all()) == [note]


def _found_by(user, words: str) -> list[str]:
    from catalyse.search.queries import SearchParams, search_run

    return [hit.title for hit in search_run(user, SearchParams.from_query_dict(QueryDict(f"q={words}"))).hits]


def test_a_note_is_searchable_once_approved_and_only_by_its_author_before(
        client, animator, member, note, settings, tmp_path):
    from catalyse.search.outbox import outbox_process

    settings.CATALYSE_SEARCH_INDEX_DIR = tmp_path / "index"
    outbox_process()  # what the worker does after the note was saved
    assert _found_by(AnonymousUser(), "relire") == []
    assert _found_by(member, "relire") == [note.title]
    _moderate(client, animator, note, "approve")
    outbox_process()
    assert _found_by(AnonymousUser(), "relire") == [note.title]
