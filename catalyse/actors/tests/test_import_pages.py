import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalyse.actors.models import Organisation
from catalyse.core.models import ImportRun, ImportStatus

from .import_helpers import RNA_HEADER, rna_line

pytestmark = pytest.mark.django_db


def rna_upload(*lines: str) -> SimpleUploadedFile:
    data = "\n".join([RNA_HEADER, *lines]).encode("cp1252")
    return SimpleUploadedFile("rna_waldec_62.csv", data, content_type="text/csv")


@pytest.fixture
def as_animator(client, animator):
    client.force_login(animator)
    return client


def test_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("actors:import"))
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("name", ["import", "duplicates", "merge"])
def test_members_who_are_not_animators_get_403(client, member, name):
    client.force_login(member)
    assert client.get(reverse(f"actors:{name}")).status_code == 403


def test_member_cannot_upload(client, member):
    client.force_login(member)
    response = client.post(reverse("actors:import"), {"format": "rna", "file": rna_upload(rna_line("W623000001", "X"))})
    assert response.status_code == 403 and not ImportRun.objects.exists()


def test_animator_upload_runs_the_import_and_shows_the_result(as_animator, animator,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_animator.post(reverse("actors:import"), {
            "format": "rna", "departements": "62",
            "file": rna_upload(rna_line("W623000001", "LES PÊCHEURS"), rna_line("BAD", "X")),
        })
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("actors:import_detail", args=[run.pk])
    assert run.status == ImportStatus.DONE and (run.created, run.errors) == (1, 1)
    assert run.created_by == animator and not run.upload  # the uploaded file is not kept
    assert Organisation.objects.get(rna="W623000001").name == "LES PÊCHEURS"
    page = as_animator.get(response["Location"]).content.decode()
    assert "Import terminé" in page and reverse("actors:import_errors", args=[run.pk]) in page
    report = as_animator.get(reverse("actors:import_errors", args=[run.pk]))
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    assert b"3;id;" in b"".join(report.streaming_content)


def test_an_xlsx_larger_than_the_format_needs_is_refused_at_upload(as_animator):
    upload = SimpleUploadedFile("orgs.xlsx", b"PK\x03\x04" + bytes(16 * 1024 * 1024), content_type="application/zip")
    response = as_animator.post(reverse("actors:import"), {"format": "xlsx", "file": upload})
    assert "Fichier trop volumineux pour ce format (16 Mo au plus)" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_progress_endpoint_reports_counts(as_animator):
    run = ImportRun.objects.create(kind="organisations", format="rna", file_name="f.csv", rows_total=200,
                                   rows_done=50, status=ImportStatus.RUNNING)
    data = as_animator.get(reverse("actors:import_progress", args=[run.pk])).json()
    assert data["percent"] == 25 and data["finished"] is False
    page = as_animator.get(reverse("actors:import_detail", args=[run.pk])).content.decode()
    assert "data-progress-url" in page and "import-progress.js" in page


def test_dry_run_from_the_page_writes_nothing(as_animator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_animator.post(reverse("actors:import"), {"format": "rna", "dry_run": "on",
                                                    "file": rna_upload(rna_line("W623000001", "X"))})
    assert ImportRun.objects.get().created == 1 and not Organisation.objects.filter(rna="W623000001").exists()


def test_a_zip_sent_as_csv_is_refused(as_animator):
    upload = SimpleUploadedFile("rna.zip", b"PK\x03\x04rest", content_type="application/zip")
    response = as_animator.post(reverse("actors:import"), {"format": "rna", "file": upload})
    assert response.status_code == 200 and "ZIP" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_error_report_is_404_when_there_were_no_errors(as_animator):
    run = ImportRun.objects.create(kind="organisations", format="rna", file_name="f.csv", status=ImportStatus.DONE)
    assert as_animator.get(reverse("actors:import_errors", args=[run.pk])).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_is_downloadable_by_anyone(client, fmt):
    response = client.get(reverse("actors:import_template", args=[fmt]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


def test_unknown_template_format_is_404(client):
    assert client.get(reverse("actors:import_template", args=["pdf"])).status_code == 404


def test_directory_links_animators_to_imports_and_duplicates(as_animator, client, member):
    page = as_animator.get(reverse("actors:list")).content.decode()
    assert reverse("actors:import") in page and reverse("actors:duplicates") in page
    client.force_login(member)
    assert reverse("actors:import") not in client.get(reverse("actors:list")).content.decode()
