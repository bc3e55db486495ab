import io
import json
import zipfile

import pytest
from django.urls import reverse

from catalyse.accounts.models import User
from catalyse.actors.models import Organisation
from catalyse.actors.services import organisation_create

pytestmark = pytest.mark.django_db


def test_a_person_downloads_all_their_data_as_a_zip(client, member, org):
    client.force_login(member)
    response = client.post(reverse("accounts:data_export"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("donnees.json"))
    assert data["account"]["email"] == member.email
    assert data["memberships"][0]["organisation"] == org.name


def test_deleting_the_account_erases_personal_data_and_keeps_contributions(client, member):
    proposed = organisation_create(name="Proposée par un membre", profile="public", created_by=member)
    client.force_login(member)
    response = client.post(reverse("accounts:delete"), {"password": "mot-de-passe-solide"})
    assert response.status_code == 200
    user = User.objects.get(pk=member.pk)
    assert member.email not in user.email and not user.is_active and not user.has_usable_password()
    assert str(user) == "Ancien membre"
    assert not user.memberships.exists()
    # the contribution is kept, attributed to "ancien membre"
    assert Organisation.objects.get(pk=proposed.pk).created_by == user
    assert "_auth_user_id" not in client.session


def test_deleting_the_account_requires_the_password(client, member):
    client.force_login(member)
    client.post(reverse("accounts:delete"), {"password": "faux"})
    assert User.objects.get(pk=member.pk).is_active


def test_a_name_is_public_only_with_consent(member):
    member.show_name_publicly = False
    assert member.public_name != member.display_name and member.email not in member.public_name
    member.show_name_publicly = True
    assert member.public_name == member.display_name


def test_the_privacy_page_is_public(client):
    assert client.get(reverse("accounts:privacy")).status_code == 200


def test_profile_updates_consent_flags(client, member):
    client.force_login(member)
    client.post(reverse("accounts:profile"), {"display_name": "Camille", "show_name_publicly": "on"})
    member.refresh_from_db()
    assert member.show_name_publicly and member.display_name == "Camille" and not member.show_testimonies_publicly


def test_the_archive_holds_the_files_a_person_uploaded(client, member, settings, tmp_path):
    from django.core.files.base import ContentFile

    from catalyse.initiatives.tests.factories import InitiativeFactory
    from catalyse.resources.models import Resource

    settings.MEDIA_ROOT = tmp_path
    initiative = InitiativeFactory(created_by=member)
    resource = Resource(owner_initiative=initiative, title="Compte rendu", created_by=member)
    resource.file.save("compte-rendu.pdf", ContentFile(b"%PDF-1.7 contenu"), save=True)
    client.force_login(member)
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("accounts:data_export")).content))
    names = archive.namelist()
    assert any(name.endswith("compte-rendu.pdf") for name in names)
    data = json.loads(archive.read("donnees.json"))
    assert data["initiatives_created"][0]["slug"] == initiative.slug
