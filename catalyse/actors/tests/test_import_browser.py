"""Through a real browser: an animator uploads an RNA file, follows the progress bar and downloads the
error report."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from catalyse.accounts.models import Role
from catalyse.accounts.tests.factories import UserFactory
from catalyse.actors.models import Organisation
from catalyse.core.imports import import_run
from catalyse.core.models import ImportRun, ImportStatus

from .import_helpers import RNA_HEADER, rna_line, write_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


@pytest.fixture
def animator_page(page, territories):
    sign_in(page.context, page.base_url, UserFactory(role=Role.ANIMATOR))
    return page


def test_animator_uploads_a_file_and_downloads_the_error_report(animator_page, tmp_path):
    page = animator_page
    path = write_file(tmp_path, "rna_waldec_62.csv", [RNA_HEADER, rna_line("W623000001", "LES PÊCHEURS DU LAC"),
                                                       rna_line("W12", "NUMERO FAUX")], encoding="cp1252")
    page.goto(page.base_url + "/organisations/import/")
    page.get_by_label("Format").select_option("rna")
    page.get_by_label("Fichier").set_input_files(str(path))
    page.get_by_role("button", name="Lancer l'import").click()
    expect(page.get_by_role("status").first).to_contain_text("Import terminé")
    expect(page.locator("[data-count=created]")).to_have_text("1")
    expect(page.locator("[data-count=errors]")).to_have_text("1")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport d'erreurs (CSV)").click()
    report = download.value.path().read_text(encoding="utf-8")
    assert report.splitlines()[0] == "ligne;colonne;motif;conséquence" and "3;id;" in report
    assert Organisation.objects.get(rna="W623000001").name == "LES PÊCHEURS DU LAC"


def test_progress_bar_follows_a_running_import_then_shows_the_result(animator_page, tmp_path):
    page = animator_page
    path = write_file(tmp_path, "rna.csv", [RNA_HEADER, rna_line("W623000001", "A"), rna_line("bad", "B")])
    run = ImportRun.objects.create(kind="organisations", format="rna", file_name="rna.csv",
                                   status=ImportStatus.RUNNING, rows_total=4, rows_done=2)
    page.goto(page.base_url + f"/organisations/import/{run.pk}/")
    expect(page.locator("progress")).to_have_attribute("value", "50")
    import_run(run, path)  # the worker finishes: the page notices and shows the result
    expect(page.get_by_role("status").first).to_contain_text("Import terminé", timeout=15_000)
    expect(page.get_by_role("link", name="Télécharger le rapport d'erreurs (CSV)")).to_be_visible()
