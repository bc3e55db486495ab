"""The preview step of the import framework: the file as the import reads it, and a mapping confirmed before
the run, for any import kind that gives a mapping form."""

import os
import time

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from catalyse.core.forms_import import ImportForm, MappingForm
from catalyse.core.import_preview import detect_decimal, read_preview, stash_upload
from catalyse.core.imports import IMPORT_KINDS, BatchResult, Cleaned, Importer, ImportKind, register_import
from catalyse.core.models import ImportRun

pytestmark = [pytest.mark.django_db, pytest.mark.urls("catalyse.core.tests.import_urls")]


@pytest.mark.parametrize(("content", "encoding", "delimiter", "decimal"), [
    ("codgeo;libgeo;taux\n62510;Liévin;12,5\n".encode("cp1252"), "cp1252", ";", ","),
    ("\ufeffcodgeo,libgeo,taux\n62510,Liévin,12.5\n".encode(), "utf-8-sig", ",", "."),
    (b"codgeo\tnb\n62510\t1 200\n", "utf-8", "\t", ""),
])
def test_a_csv_preview_reads_like_the_import(tmp_path, content, encoding, delimiter, decimal):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    preview = read_preview(path)
    assert (preview.encoding, preview.delimiter, preview.decimal) == (encoding, delimiter, decimal)
    assert preview.header[0] == "codgeo" and preview.rows[0][0] == "62510"
    if len(preview.header) == 3:
        assert preview.column("libgeo") == ["Liévin"]


def test_a_preview_keeps_the_first_rows_only_and_says_why_a_file_is_unreadable(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("a;b\n" + "".join(f"{n};{n},5\n" for n in range(50)))
    preview = read_preview(path, rows=10)
    assert len(preview.rows) == 10 and preview.rows[-1] == ["9", "9,5"]
    path.write_text("")
    assert read_preview(path).error == "Le fichier est vide."


def test_a_workbook_preview(tmp_path):
    workbook = Workbook()
    workbook.active.append(["codgeo", "taux"])
    workbook.active.append(["62510", 12.5])
    workbook.save(tmp_path / "f.xlsx")
    preview = read_preview(tmp_path / "f.xlsx", spreadsheet=True)
    assert preview.header == ["codgeo", "taux"] and preview.rows == [["62510", "12.5"]] and preview.decimal == "."


def test_decimal_mark_follows_the_majority_of_the_sample():
    assert detect_decimal(["1,5", "2,25", "3.5"]) == ","
    assert detect_decimal(["1.5", "abc", ""]) == "."
    assert detect_decimal(["12", "s", "1 200"]) == ""


def test_abandoned_previews_are_removed_after_a_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = stash_upload(SimpleUploadedFile("old.csv", b"a\n1\n"))
    day_ago = time.time() - 2 * 86400
    os.utime(tmp_path / old, (day_ago, day_ago))
    new = stash_upload(SimpleUploadedFile("new.csv", b"a\n1\n"))
    assert not (tmp_path / old).exists() and (tmp_path / new).exists()


# --- a kind of the framework with a mapping step ---------------------------------------------------------------
class ScoreImporter(Importer):
    kind = "notes"
    format = "csv"
    label = "Notes (CSV)"

    def clean(self, line, row):
        return Cleaned(line, int(row[self.options["column"]]))

    def write(self, batch, *, dry_run):
        return BatchResult(created=sum(c.data for c in batch))


class ColumnForm(MappingForm):
    column = forms.ChoiceField(label="Colonne des notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = self.column_choices
        self.initial["column"] = self.preview.header[-1]

    def options(self):
        return {"column": self.cleaned_data["column"]}


@pytest.fixture
def notes_kind():
    register_import(ImportKind(name="notes", title="Importer des notes", importers={"csv": ScoreImporter},
                               form=ImportForm, parent=("Accueil", "home"), mapping_form=ColumnForm))
    yield
    del IMPORT_KINDS["notes"]


def test_any_kind_with_a_mapping_form_gets_the_preview_step(client, animator, settings, tmp_path, notes_kind,
                                                            django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(animator)
    assert "Voir l'aperçu" in client.get("/notes/import/").content.decode()
    url = client.post("/notes/import/", {"format": "csv", "file": SimpleUploadedFile("n.csv", b"a;b\n1;10\n2;20\n")
                                          }).url
    html = client.get(url).content.decode()
    assert "<th scope=\"col\">a</th>" in html and '<option value="b" selected>' in html
    assert not ImportRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"column": "a"})  # changed from the proposed "b"
    run = ImportRun.objects.get()
    assert run.options == {"column": "a"} and run.created == 3
    assert client.post(url, {"column": "a"}).status_code == 404  # one confirmation, one run
