"""Uploaded files are served by Django with the permission of the object that owns them: a logo or cover
everyone may see is public and cacheable; a partners-only document goes only to the initiative's readers,
never cached by shared caches; a file no object owns (import uploads, reports, strays) is never served."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalyse.actors.models import PublicationStatus
from catalyse.initiatives.models import Role, Visibility
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory
from catalyse.resources import services
from catalyse.resources.models import Resource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def get(client, url, user=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def partners_document(org):
    initiative = InitiativeFactory(title="Réservée", visibility=Visibility.PARTNERS)
    PartnershipFactory(initiative=initiative, organisation=org, role=Role.PARTENAIRE)
    resource = Resource(owner_initiative=initiative, title="Compte rendu")
    resource.file.save("compte-rendu.pdf", ContentFile(b"%PDF-1.4 confidentiel"))
    return resource


def test_a_published_organisations_logo_is_served_to_everyone_and_cacheable(client, org):
    org.logo.save("logo.png", ContentFile(png()))
    assert org.logo.url.startswith("/media/logos/")
    response = get(client, org.logo.url)
    assert response.status_code == 200 and body(response) == png()
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")


def test_a_pending_organisations_logo_is_served_only_to_its_people(client, org, member, outsider):
    org.status = PublicationStatus.PENDING
    org.save()
    org.logo.save("logo.png", ContentFile(png()))
    assert get(client, org.logo.url).status_code == 404
    assert get(client, org.logo.url, outsider).status_code == 404
    response = get(client, org.logo.url, member)
    assert response.status_code == 200 and "private" in response["Cache-Control"]


def test_a_partners_only_document_goes_only_to_the_initiatives_readers_and_stays_private(
        client, partners_document, member, outsider, animator):
    url = partners_document.file.url
    assert get(client, url).status_code == 404
    assert get(client, url, outsider).status_code == 404
    for user in (member, animator):
        response = get(client, url, user)
        assert response.status_code == 200 and body(response) == b"%PDF-1.4 confidentiel"
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment") and "compte-rendu" in response[
            "Content-Disposition"]


@pytest.mark.parametrize("path", ["imports/files/organisations.csv", "imports/reports/import-1-erreurs.csv",
                                  "logos/orphelin.png", "inconnu/fichier.txt"])
def test_a_file_no_object_owns_is_not_served(client, animator, path):
    default_storage.save(path, ContentFile(b"contenu"))
    assert get(client, "/media/" + path, animator).status_code == 404


@pytest.mark.parametrize("path", ["../settings.py", "logos/../../settings.py", "/etc/passwd", "logos/%2e%2e/x"])
def test_paths_outside_the_media_folder_are_not_served(client, animator, path):
    assert get(client, "/media/" + path, animator).status_code == 404


@pytest.mark.parametrize(("mode", "header", "expected"), [
    ("x-accel-redirect", "X-Accel-Redirect", "/_media/resources/"),
    ("x-sendfile", "X-Sendfile", "/media/resources/"),
])
def test_the_web_server_can_send_the_file_once_django_allowed_it(client, settings, partners_document, member,
                                                                  mode, header, expected):
    settings.CATALYSE_MEDIA_ACCEL = mode
    response = get(client, partners_document.file.url, member)
    assert response.status_code == 200 and expected in response[header] and body(response) == b""
    assert "private" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    assert get(client, partners_document.file.url).status_code == 404


def test_an_image_sent_as_a_document_is_re_encoded(org):
    initiative = InitiativeFactory()
    appended = png() + b"<script>alert(1)</script>"
    resource = services.resource_create(author=None, owner_initiative=initiative, title="Photo",
                                        file=SimpleUploadedFile("photo.png", appended, content_type="image/png"))
    stored = resource.file.read()
    assert b"<script>" not in stored and stored.startswith(b"\x89PNG")
