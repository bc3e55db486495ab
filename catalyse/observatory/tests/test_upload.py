"""The upload page of indicator files: preview, column mapping confirmed or changed, then the run."""

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from catalyse.core.models import ImportRun
from catalyse.observatory.models import IndicatorValue

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploader(client, animator, settings, tmp_path, django_capture_on_commit_callbacks):
    """Signs an animator in; `upload(content)` posts a file and returns the preview page's address."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(animator)

    def upload(content: bytes, name="data.csv", **options) -> str:
        response = client.post("/observatoire/import/", {"format": "csv", "file": SimpleUploadedFile(name, content),
                                                        "indicator": "chomage", "level": "commune", **options})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert re.fullmatch(r"/observatoire/import/apercu/[0-9a-f]{32}/", response.url)
        return response.url

    def confirm(url: str, mapping: dict) -> object:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, mapping)

    return upload, confirm


@pytest.fixture
def chomage():
    return IndicatorFactory(code="chomage", name="Taux de chômage")


def _stashed(tmp_path) -> list:
    return [p for p in (tmp_path / "imports" / "previews").rglob("*") if p.is_file()]


def test_the_preview_shows_how_the_file_is_read_and_nothing_is_imported_before_confirmation(
        client, uploader, chomage, tmp_path):
    upload, confirm = uploader
    assert "Voir l'aperçu" in client.get("/observatoire/import/").content.decode()
    content = "CODGEO;LIBGEO;an;taux\n62528;Loos-en-Gohelle;2021;12,5\n62510;Liévin;2021;s\n".encode("cp1252")
    url = upload(content, name="chomage.csv")
    html = client.get(url).content.decode()
    assert "Aperçu de chomage.csv" in html
    assert "cp1252" in html and "point-virgule" in html and "virgule (1,5)" in html
    assert "colonne « an »" in html and "Codes reconnus dans l&#x27;aperçu" in html and "2 / 2" in html
    assert "<td>Liévin</td>" in html and "<td>12,5</td>" in html
    # The detected mapping is preselected.
    assert '<option value="CODGEO" selected>' in html and '<option value="an" selected>' in html
    assert re.search(r'<input type="checkbox" name="values" value="taux"[^>]*checked', html)
    assert not ImportRun.objects.exists() and not IndicatorValue.objects.exists()
    assert len(_stashed(tmp_path)) == 1

    response = confirm(url, {"indicator": "chomage", "code": "CODGEO", "label": "LIBGEO", "year_layout": "column",
                             "year_column": "an", "values": ["taux"]})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == f"/observatoire/import/{run.pk}/"
    assert run.file_name == "chomage.csv" and run.created == 2
    assert IndicatorValue.objects.get(indicator=chomage, territory__code="62528", level="commune").value == 12.5
    assert _stashed(tmp_path) == []
    assert client.get(url).status_code == 404  # confirmed once: the preview is gone


def test_the_person_changes_the_mapping_when_detection_cannot_decide(client, uploader, chomage):
    upload, confirm = uploader
    other = IndicatorFactory(code="demandeurs", name="Demandeurs d'emploi")
    url = upload(b"codgeo,an,taux,effectif\n62528,2021,12.5,830\n62510,2021,14.0,2100\n")
    html = client.get(url).content.decode()
    assert "à préciser" in html and "Plusieurs colonnes de valeurs" in html
    confirm(url, {"indicator": "demandeurs", "code": "codgeo", "year_layout": "column", "year_column": "an",
                  "values": ["effectif"]})
    assert {v.territory.code: v.value for v in IndicatorValue.objects.filter(indicator=other, level="commune")} \
        == {"62528": 830.0, "62510": 2100.0}
    assert not IndicatorValue.objects.filter(indicator=chomage).exists()


def test_one_column_per_year_and_a_fixed_year(client, uploader, chomage):
    upload, confirm = uploader
    url = upload(b"CODGEO;LIBGEO;P2019;P2021\n62528;Loos;10,0;11,0\n")
    assert "une colonne par année (2019, 2021)" in client.get(url).content.decode()
    confirm(url, {"indicator": "chomage", "code": "CODGEO", "year_layout": "per_year", "values": ["P2021"]})
    assert list(IndicatorValue.objects.filter(level="commune").values_list("year", "value")) == [(2021, 11.0)]

    url = upload(b"CODGEO;valeur\n62528;9,5\n")
    confirm(url, {"indicator": "chomage", "code": "CODGEO", "year_layout": "fixed", "year": "2018",
                  "values": ["valeur"]})
    assert IndicatorValue.objects.get(level="commune", year=2018).value == 9.5


@pytest.mark.parametrize(("mapping", "message"), [
    ({"year_layout": "column", "year_column": "an", "values": ["codgeo"]}, "à la fois valeur et code"),
    ({"year_layout": "column", "year_column": "", "values": ["taux"]}, "Choisissez la colonne de l&#x27;année"),
    ({"year_layout": "fixed", "values": ["taux"]}, "Indiquez l&#x27;année"),
    ({"year_layout": "column", "year_column": "an", "values": ["taux", "effectif"]}, "une seule colonne de valeurs"),
    ({"year_layout": "per_year", "values": ["taux"]}, "Pas d&#x27;année dans le nom de : taux"),
    ({"year_layout": "column", "year_column": "an", "values": []}, "Ce champ est obligatoire"),
])
def test_an_impossible_mapping_is_refused_in_french_and_nothing_runs(client, uploader, chomage, mapping, message):
    upload, confirm = uploader
    url = upload(b"codgeo;an;taux;effectif\n62528;2021;12,5;830\n")
    response = confirm(url, {"indicator": "chomage", "code": "codgeo", **mapping})
    assert response.status_code == 200
    html = response.content.decode()
    assert "L'import n'a pas démarré" in html and message in html
    assert not ImportRun.objects.exists()
    assert client.get(url).status_code == 200  # the file is still there to try again


def test_row_errors_are_reported_and_reimporting_changes_nothing(client, uploader, chomage):
    upload, confirm = uploader
    content = b"codgeo;an;taux\n62528;2021;12,5\n99999;2021;3\n62510;2021;abc\n"
    mapping = {"indicator": "chomage", "code": "codgeo", "year_layout": "column", "year_column": "an",
               "values": ["taux"]}
    confirm(upload(content), mapping)
    first = ImportRun.objects.get()
    assert (first.created, first.errors) == (1, 2)
    assert {e["line"] for e in first.error_sample} == {3, 4}
    assert client.get(f"/observatoire/import/{first.pk}/erreurs.csv").status_code == 200
    confirm(upload(content), mapping)
    second = ImportRun.objects.latest("pk")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    assert IndicatorValue.objects.filter(level="commune").count() == 1


def test_cancel_drops_the_file_and_a_stale_or_foreign_preview_is_not_found(client, uploader, chomage, tmp_path):
    upload, confirm = uploader
    url = upload(b"codgeo;an;taux\n62528;2021;12,5\n")
    assert client.post(url, {"cancel": ""}).url == "/observatoire/import/"
    assert _stashed(tmp_path) == [] and not ImportRun.objects.exists()
    assert client.get(url).status_code == 404
    assert client.get("/observatoire/import/apercu/" + "0" * 32 + "/").status_code == 404
    url = upload(b"codgeo;an;taux\n62528;2021;12,5\n")
    for path in _stashed(tmp_path):  # removed after a day without confirmation
        path.unlink()
    assert client.get(url).status_code == 404


def test_an_unreadable_file_is_refused_at_the_upload(client, uploader, chomage):
    response = client.post("/observatoire/import/", {"format": "csv", "indicator": "chomage", "level": "commune",
                                                     "file": SimpleUploadedFile("x.csv", b"PK\x03\x04zip")})
    assert response.status_code == 200 and "pas un fichier texte CSV" in response.content.decode()
    assert not default_storage.exists("imports/previews")


def test_visitors_and_members_cannot_reach_the_upload_or_preview_pages(client, member):
    assert client.get("/observatoire/import/").status_code in (302, 403)
    assert client.get("/observatoire/import/apercu/" + "0" * 32 + "/").status_code in (302, 403)
    client.force_login(member)
    assert client.get("/observatoire/import/").status_code == 403
