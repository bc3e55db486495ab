"""The evidence library: what each kind needs, consent and image rights before publishing, links within the
initiative, files checked by content and sent only to those who may see the item — by the services and the API.

People: `member` and `owner` belong to the carrying organisation (partners), `outsider` is a network member who
is no partner."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalyse.accounts.models import AuditEntry
from catalyse.accounts.personal_data import personal_data_export
from catalyse.evaluation import services
from catalyse.evaluation.models import Evidence, EvidenceKind
from catalyse.initiatives.tests.factories import InitiativeFactory

from .conftest import make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="compte-rendu.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 compte rendu du comite", content_type="application/pdf")


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# Services ------------------------------------------------------------------------------------------------------------

def test_a_verbatim_without_consent_cannot_be_published(initiative):
    with pytest.raises(ValidationError) as error:
        services.evidence_create(initiative=initiative, kind=EvidenceKind.VERBATIM, title="Paroles",
                                 text="On se parle enfin.", speaker_role="habitante", is_public=True)
    assert "consentement" in str(error.value.message_dict["is_public"])
    evidence = services.evidence_create(initiative=initiative, kind=EvidenceKind.VERBATIM, title="Paroles",
                                        text="On se parle enfin.", speaker_role="habitante")
    with pytest.raises(ValidationError):
        services.evidence_publish(evidence)
    evidence.refresh_from_db()
    assert not evidence.is_public
    services.evidence_update(evidence, consent=True)
    assert services.evidence_publish(evidence).is_public


def test_a_photo_without_image_rights_cannot_be_published(initiative):
    photo = services.evidence_create(initiative=initiative, kind=EvidenceKind.PHOTO, title="Chantier", file=png())
    with pytest.raises(ValidationError) as error:
        services.evidence_publish(photo)
    assert "droit à l'image" in str(error.value.message_dict["is_public"])
    services.evidence_update(photo, image_rights=True, is_public=True)
    photo.refresh_from_db()
    assert photo.is_public


def test_withdrawing_consent_of_a_published_verbatim_is_refused_until_it_is_withdrawn(initiative):
    verbatim = services.evidence_create(initiative=initiative, kind=EvidenceKind.VERBATIM, title="Paroles",
                                        text="Merci.", consent=True, is_public=True)
    with pytest.raises(ValidationError):
        services.evidence_update(verbatim, consent=False)
    services.evidence_update(verbatim, consent=False, is_public=False)
    verbatim.refresh_from_db()
    assert not verbatim.consent and not verbatim.is_public


@pytest.mark.parametrize(("kind", "fields", "field"), [
    (EvidenceKind.VERBATIM, {}, "text"),
    (EvidenceKind.FIGURE, {}, "text"),
    (EvidenceKind.LINK, {}, "url"),
    (EvidenceKind.PHOTO, {}, "file"),
    (EvidenceKind.DOCUMENT, {}, "file"),
    (EvidenceKind.LINK, {"url": "pas une adresse"}, "url"),
])
def test_each_kind_says_what_it_lacks(initiative, kind, fields, field):
    with pytest.raises(ValidationError) as error:
        services.evidence_create(initiative=initiative, kind=kind, title="Preuve", **fields)
    assert field in error.value.message_dict


def test_a_photo_must_be_an_image_and_is_re_encoded(initiative):
    with pytest.raises(ValidationError):
        services.evidence_create(initiative=initiative, kind=EvidenceKind.PHOTO, title="Photo", file=pdf())
    photo = services.evidence_create(initiative=initiative, kind=EvidenceKind.PHOTO, title="Photo", file=png())
    assert photo.file.name.startswith("evaluation/evidence/") and photo.file.name.endswith(".png")


def test_a_document_is_checked_by_content_and_size(initiative, settings):
    with pytest.raises(ValidationError):
        services.evidence_create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="Faux",
                                 file=SimpleUploadedFile("faux.pdf", b"<html><script>x</script>"))
    big = SimpleUploadedFile("gros.pdf", b"%PDF-1.4 " + b"0" * (services.EVIDENCE_MAX_BYTES + 1))
    with pytest.raises(ValidationError) as error:
        services.evidence_create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="Gros", file=big)
    assert "volumineux" in str(error.value)


def test_evidence_links_only_to_its_own_initiatives_items(initiative):
    mine = make_indicator(initiative)
    other = make_indicator(InitiativeFactory())
    with pytest.raises(ValidationError):
        services.evidence_create(initiative=initiative, kind=EvidenceKind.FIGURE, title="Chiffre", text="12",
                                 indicators=[other])
    figure = services.evidence_create(initiative=initiative, kind=EvidenceKind.FIGURE, title="Chiffre", text="12",
                                      indicators=[mine], tags="emploi, Emploi ,  jeunes,")
    assert list(figure.indicators.all()) == [mine]
    assert figure.tags == "emploi, jeunes"


def test_writes_are_audited_and_deleting_removes_the_file(initiative, owner, django_capture_on_commit_callbacks):
    before = AuditEntry.objects.count()
    document = services.evidence_create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="CR", file=pdf(),
                                        created_by=owner)
    services.evidence_update(document, actor=owner, title="Compte rendu")
    name = document.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(document, actor=owner)
    assert not default_storage.exists(name)
    assert AuditEntry.objects.count() == before + 3
    assert not Evidence.objects.exists()


def test_replacing_the_file_removes_the_old_one(initiative, django_capture_on_commit_callbacks):
    document = services.evidence_create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="CR", file=pdf())
    old = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_update(document, file=pdf("v2.pdf"))
    assert not default_storage.exists(old) and default_storage.exists(document.file.name)


def test_the_personal_data_export_holds_the_evidence_a_person_added(initiative, owner):
    services.evidence_create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="Mon compte rendu",
                             file=pdf(), created_by=owner)
    import json
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(personal_data_export(owner)))
    data = json.loads(archive.read("donnees.json"))
    assert data["evaluation_evidence"][0]["title"] == "Mon compte rendu"
    assert any(name.startswith("fichiers/evaluation_evidence/") for name in archive.namelist())


# Files ---------------------------------------------------------------------------------------------------------------

def test_an_unpublished_evidence_file_goes_to_insiders_only(client, initiative, member, outsider, animator):
    document = services.evidence_create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="CR", file=pdf())
    url = document.file.url
    assert url.startswith("/media/evaluation/evidence/")
    assert _as(client, None).get(url).status_code == 404
    assert _as(client, outsider).get(url).status_code == 404
    for insider in (member, animator):
        response = _as(client, insider).get(url)
        assert response.status_code == 200 and body(response).startswith(b"%PDF")
        assert "private" in response["Cache-Control"]


def test_a_published_evidence_file_goes_to_whoever_sees_the_initiative(client, initiative):
    document = services.evidence_create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="CR", file=pdf(),
                                        is_public=True)
    response = _as(client, None).get(document.file.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


# API -----------------------------------------------------------------------------------------------------------------

def test_a_partner_adds_a_photo_through_a_multipart_form(client, initiative, member):
    indicator = make_indicator(initiative)
    response = _as(client, member).post(f"/api/v1/initiatives/{initiative.slug}/evidence", {
        "kind": "photo", "title": "Inauguration", "tags": "fête, quartier", "indicators": [indicator.pk],
        "file": png(),
    })
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["file"].startswith("/media/evaluation/evidence/") and data["indicators"] == [indicator.pk]
    assert data["tags"] == ["fête", "quartier"] and data["is_public"] is False


def test_the_api_refuses_publishing_a_photo_without_image_rights(client, initiative, member):
    photo = services.evidence_create(initiative=initiative, kind=EvidenceKind.PHOTO, title="Chantier", file=png())
    url = f"/api/v1/evaluation/evidence/{photo.pk}"
    response = _as(client, member).patch(url, {"is_public": True}, content_type="application/json")
    assert response.status_code == 422 and "droit à l'image" in response.json()["detail"]
    response = client.patch(url, {"is_public": True, "image_rights": True}, content_type="application/json")
    assert response.status_code == 200 and response.json()["is_public"] is True


def test_the_api_refuses_a_bad_file_and_an_unknown_link_with_422(client, initiative, member):
    url = f"/api/v1/initiatives/{initiative.slug}/evidence"
    response = _as(client, member).post(url, {"kind": "photo", "title": "Photo", "file": pdf()})
    assert response.status_code == 422
    response = client.post(url, {"kind": "figure", "title": "Chiffre", "text": "12", "indicators": [999999]})
    assert response.status_code == 422


def test_the_api_lists_evidence_as_each_person_may_see_it(client, initiative, member, outsider):
    indicator = make_indicator(initiative)
    services.evidence_create(initiative=initiative, kind=EvidenceKind.FIGURE, title="Publié", text="12",
                             is_public=True, tags="emploi", indicators=[indicator])
    services.evidence_create(initiative=initiative, kind=EvidenceKind.LINK, title="Interne",
                             url="https://exemple.org/interne")
    url = f"/api/v1/initiatives/{initiative.slug}/evidence"
    assert [e["title"] for e in _as(client, outsider).get(url).json()] == ["Publié"]
    # The published item links to an unpublished indicator: outsiders do not learn its id.
    assert _as(client, outsider).get(url).json()[0]["indicators"] == []
    assert {e["title"] for e in _as(client, member).get(url).json()} == {"Publié", "Interne"}
    assert [e["title"] for e in client.get(url + "?kind=link").json()] == ["Interne"]
    assert [e["title"] for e in client.get(url + "?tag=Emploi").json()] == ["Publié"]
    assert [e["title"] for e in client.get(url + f"?indicator={indicator.pk}").json()] == ["Publié"]


def test_the_api_replaces_removes_the_file_and_deletes(client, initiative, member, outsider):
    document = services.evidence_create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="CR", file=pdf(),
                                        is_public=True)
    base = f"/api/v1/evaluation/evidence/{document.pk}"
    assert _as(client, outsider).post(base + "/file", {"file": pdf("v2.pdf")}).status_code == 403
    assert _as(client, outsider).delete(base).status_code == 403
    response = _as(client, member).post(base + "/file", {"file": pdf("v2.pdf")})
    assert response.status_code == 200 and "v2" in response.json()["file"]
    # A document with neither file nor link is not a document.
    assert client.delete(base + "/file").status_code == 422
    assert client.delete(base).status_code == 204
    assert client.get(base).status_code == 404
