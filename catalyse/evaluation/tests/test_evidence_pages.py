"""The evidence library pages: who sees what, the filters, and the forms (upload, clear refusals, nothing lost)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalyse.evaluation import services
from catalyse.evaluation.models import Evidence, EvidenceKind

from .conftest import make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("atelier.png", buffer.getvalue(), content_type="image/png")


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def library(initiative):
    indicator = make_indicator(initiative, name="Emplois créés", is_public=True)
    services.evidence_create(initiative=initiative, kind=EvidenceKind.VERBATIM, title="Paroles d'habitante",
                             text="On se parle enfin.", speaker_role="habitante", consent=True, is_public=True,
                             tags="lien social", indicators=[indicator])
    services.evidence_create(initiative=initiative, kind=EvidenceKind.LINK, title="Tableau interne",
                             url="https://exemple.org/tableau", tags="suivi")
    return indicator


def test_visitors_see_published_evidence_and_partners_everything(client, initiative, library, member, outsider):
    url = reverse("evaluation:evidence", args=[initiative.slug])
    for user in (None, outsider):
        page = _as(client, user).get(url).content.decode()
        assert "Paroles d&#x27;habitante" in page and "Tableau interne" not in page
        assert "Ajouter une preuve" not in page
    page = _as(client, member).get(url).content.decode()
    assert "Paroles d&#x27;habitante" in page and "Tableau interne" in page and "Ajouter une preuve" in page
    assert "— habitante" in page


def test_the_library_filters_by_kind_tag_and_indicator(client, initiative, library, member):
    url = reverse("evaluation:evidence", args=[initiative.slug])
    _as(client, member)
    assert "Paroles" not in client.get(url + "?type=link").content.decode()
    page = client.get(url + "?mot=Lien+social").content.decode()
    assert "Paroles" in page and "Tableau interne" not in page
    page = client.get(url + f"?indicateur={library.pk}").content.decode()
    assert "Paroles" in page and "Tableau interne" not in page and "<h2 id=\"indicator-title\">Emplois créés" in page
    assert client.get(url + "?indicateur=abc&type=nope").status_code == 200


def test_an_invisible_initiatives_library_is_404(client, initiative, outsider):
    initiative.publication = "draft"
    initiative.save()
    assert _as(client, outsider).get(reverse("evaluation:evidence", args=[initiative.slug])).status_code == 404


def test_outsiders_cannot_open_the_forms(client, initiative, library, outsider):
    evidence = Evidence.objects.get(title="Paroles d'habitante")
    add = reverse("evaluation:evidence_add", args=[initiative.slug])
    assert _as(client, None).get(add).status_code == 302  # sign in first
    assert _as(client, outsider).get(add).status_code == 403
    edit = reverse("evaluation:evidence_edit", args=[initiative.slug, evidence.pk])
    assert client.get(edit).status_code == 403
    delete = reverse("evaluation:evidence_delete", args=[initiative.slug, evidence.pk])
    assert client.post(delete).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_partner_adds_a_photo_with_the_form(client, initiative, library, member):
    response = _as(client, member).post(reverse("evaluation:evidence_add", args=[initiative.slug]), {
        "kind": "photo", "title": "Atelier de réparation", "tags": "atelier", "file": png(),
        "indicators": [library.pk], "image_rights": "on", "is_public": "on",
    })
    assert response.status_code == 302
    photo = Evidence.objects.get(title="Atelier de réparation")
    assert photo.is_public and photo.file.name.startswith("evaluation/evidence/")
    assert list(photo.indicators.all()) == [library]
    page = _as(client, None).get(reverse("evaluation:evidence", args=[initiative.slug])).content.decode()
    assert f'src="{photo.file.url}"' in page


def test_publishing_a_photo_without_image_rights_is_refused_with_a_clear_error(client, initiative, member):
    response = _as(client, member).post(reverse("evaluation:evidence_add", args=[initiative.slug]), {
        "kind": "photo", "title": "Atelier de réparation", "file": png(), "is_public": "on",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "ne peut pas être publiée sans le droit à l&#x27;image" in page
    assert 'value="Atelier de réparation"' in page  # nothing typed is lost
    assert not Evidence.objects.exists()


def test_a_partner_edits_then_deletes_an_item(client, initiative, library, member):
    evidence = Evidence.objects.get(title="Tableau interne")
    edit = reverse("evaluation:evidence_edit", args=[initiative.slug, evidence.pk])
    page = _as(client, member).get(edit).content.decode()
    assert 'value="https://exemple.org/tableau"' in page
    response = client.post(edit, {"kind": "link", "title": "Tableau de suivi", "url": "https://exemple.org/t2"})
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.title == "Tableau de suivi" and evidence.url == "https://exemple.org/t2"
    response = client.post(reverse("evaluation:evidence_delete", args=[initiative.slug, evidence.pk]))
    assert response.status_code == 302 and not Evidence.objects.filter(pk=evidence.pk).exists()
