import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalyse.observatory.models import IndicatorValue

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_an_animator_uploads_an_indicator_file(client, animator, settings, tmp_path,
                                              django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    indicator = IndicatorFactory(code="chomage")
    client.force_login(animator)
    assert client.get("/observatoire/import/").status_code == 200
    upload = SimpleUploadedFile("chomage.csv", "CODGEO;LIBGEO;an;taux\n62528;Loos;2021;12,5\n".encode("cp1252"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/observatoire/import/", {"format": "csv", "file": upload, "indicator": "chomage",
                                                        "level": "commune"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=indicator, territory__code="62528", level="commune").value == 12.5


def test_visitors_cannot_reach_the_upload_page(client):
    assert client.get("/observatoire/import/").status_code in (302, 403)
