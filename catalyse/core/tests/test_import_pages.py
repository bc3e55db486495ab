"""The generic import pages serve any registered import kind, not only organisations."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalyse.core.forms_import import ImportForm
from catalyse.core.imports import IMPORT_KINDS, BatchResult, Cleaned, Importer, ImportKind, RowError, register_import
from catalyse.core.models import ImportRun, ImportStatus

pytestmark = [pytest.mark.django_db, pytest.mark.urls("catalyse.core.tests.import_urls")]


class NoteImporter(Importer):
    kind = "notes"
    format = "csv"
    label = "Notes (CSV)"
    max_upload_bytes = 1000
    required_columns = ("note",)

    def clean(self, line, row):
        if not row["note"].isdigit():
            raise RowError("note", "Pas un nombre.")
        return Cleaned(line, int(row["note"]))

    def write(self, batch, *, dry_run):
        return BatchResult(created=len(batch))


@pytest.fixture(autouse=True)
def notes_kind():
    kind = register_import(ImportKind(name="notes", title="Importer des notes", importers={"csv": NoteImporter},
                                      form=ImportForm, parent=("Accueil", "home"),
                                      template_rows=lambda: [["note"], ["12"]],
                                      template_columns=[("note", "", "Un nombre entier.")]))
    yield kind
    del IMPORT_KINDS["notes"]


@pytest.fixture
def as_animator(client, animator):
    client.force_login(animator)
    return client


def notes(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("notes.csv", text.encode(), content_type="text/csv")


def test_an_animator_imports_a_file_of_any_registered_kind(as_animator, django_capture_on_commit_callbacks):
    page = as_animator.get(reverse("notes:import")).content.decode()
    assert "Importer des notes" in page and "Notes (CSV)" in page and reverse("notes:import_template", args=["csv"])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_animator.post(reverse("notes:import"), {"format": "csv", "file": notes("note\n12\nabc\n7\n")})
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("notes:import_detail", args=[run.pk])
    assert (run.kind, run.status, run.created, run.errors) == ("notes", ImportStatus.DONE, 2, 1)
    detail = as_animator.get(response["Location"]).content.decode()
    assert "Import terminé" in detail and reverse("notes:import_errors", args=[run.pk]) in detail
    assert as_animator.get(reverse("notes:import_progress", args=[run.pk])).json()["created"] == 2
    assert b"3;note;" in b"".join(as_animator.get(reverse("notes:import_errors", args=[run.pk])).streaming_content)


def test_a_kind_sets_its_own_upload_limit(as_animator):
    response = as_animator.post(reverse("notes:import"), {"format": "csv", "file": notes("note\n" + "1\n" * 600)})
    assert "Fichier trop volumineux" in response.content.decode() and not ImportRun.objects.exists()


def test_the_pages_of_one_kind_never_show_a_run_of_another(as_animator):
    other = ImportRun.objects.create(kind="organisations", format="csv", file_name="orgs.csv")
    assert as_animator.get(reverse("notes:import_detail", args=[other.pk])).status_code == 404
    assert as_animator.get(reverse("notes:import_progress", args=[other.pk])).status_code == 404


def test_the_model_file_of_a_kind_is_public(client):
    response = client.get(reverse("notes:import_template", args=["csv"]))
    assert response.content.decode("utf-8-sig").splitlines() == ["note", "12"]
    assert 'filename="modele-notes.csv"' in response["Content-Disposition"]


def test_import_pages_are_for_animators(client, member):
    assert client.get(reverse("notes:import")).status_code == 302
    client.force_login(member)
    assert client.get(reverse("notes:import")).status_code == 403
