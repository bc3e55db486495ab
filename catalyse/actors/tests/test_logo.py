"""An organisation's logo: uploaded through the form, checked and re-encoded, shown on the page and in JSON-LD."""

import io
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from catalyse.actors.models import Organisation
from catalyse.core.concurrency import save_with_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(width=40, height=20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def edit(client, org, **extra):
    data = {"name": org.name, "profile": org.profile, "scope": org.scope, "version": org.version,
            "head_office": "", "head_office_label": "", "description": org.description, **extra}
    return client.post(reverse("actors:edit", args=[org.slug]), data)


def test_an_editor_uploads_a_logo_shown_on_the_page_and_in_json_ld(client, org, owner):
    client.force_login(owner)
    response = edit(client, org, logo=SimpleUploadedFile("logo.png", png(), content_type="image/png"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.logo.name.startswith("logos/") and org.logo.storage.exists(org.logo.name)
    with Image.open(org.logo.path) as stored:
        assert stored.size == (40, 20)

    client.logout()
    page = client.get(org.get_absolute_url()).content.decode()
    assert f'<img class="logo" src="{org.logo.url}" alt="Logo de {escape(org.name)}">' in page
    jsonld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert jsonld["logo"] == "http://testserver" + org.logo.url


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(client, org, owner):
    client.force_login(owner)
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = edit(client, org, name="Nouveau nom", logo=fake)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    org.refresh_from_db()
    assert org.name != "Nouveau nom" and not org.logo


def test_saving_without_a_new_file_keeps_the_logo_and_clearing_removes_it(client, org, owner):
    client.force_login(owner)
    edit(client, org, logo=SimpleUploadedFile("logo.png", png(), content_type="image/png"))
    org.refresh_from_db()
    stored = org.logo.name

    assert edit(client, org, legal_form="SCIC").status_code == 302
    org.refresh_from_db()
    assert org.logo.name == stored and org.legal_form == "SCIC"

    assert edit(client, org, **{"logo-clear": "on"}).status_code == 302
    org.refresh_from_db()
    assert not org.logo


def test_a_versioned_save_writes_a_newly_assigned_file_to_storage(org):
    """save_with_version() updates the row with UPDATE: the file must still reach storage (covers, logos)."""
    org.logo = ContentFile(png(), name="nouveau.png")
    save_with_version(org, expected_version=org.version)
    stored = Organisation.objects.get(pk=org.pk).logo
    assert stored.name.startswith("logos/nouveau") and stored.storage.exists(stored.name)
