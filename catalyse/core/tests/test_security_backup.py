import tarfile

import pytest
from django.core.management import call_command
from django.db import connection

from catalyse.actors.models import Organisation
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.core.backup import BackupError, backup_create, backup_restore

# pg_dump/pg_restore run in other processes: they only see committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "logo.png").write_bytes(b"image d'origine")
    return settings.MEDIA_ROOT


def test_backup_then_restore_brings_back_the_database_and_the_files(media, tmp_path):
    kept = OrganisationFactory(name="Gardée", head_office=None)
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", output=str(archive))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "media/logos/logo.png" in names

    Organisation.objects.filter(pk=kept.pk).update(name="Abîmée")
    OrganisationFactory(name="Ajoutée après la sauvegarde", head_office=None)
    (media / "logos" / "logo.png").write_bytes(b"abime")
    (media / "intrus.txt").write_text("x")

    call_command("restore", str(archive), yes=True)
    connection.close()  # the restore replaced the tables under our connection
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Gardée"]
    assert (media / "logos" / "logo.png").read_bytes() == b"image d'origine"
    assert not (media / "intrus.txt").exists()


def test_restore_refuses_an_archive_from_another_engine(media, tmp_path):
    archive = backup_create(tmp_path / "a.tar.gz")
    other = tmp_path / "b.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(other, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json":
                import io
                import json

                manifest = json.loads(data.read())
                manifest["engine"] = "oracle"
                raw = json.dumps(manifest).encode()
                member.size = len(raw)
                data = io.BytesIO(raw)
            dst.addfile(member, data)
    with pytest.raises(BackupError, match="oracle"):
        backup_restore(other)


def test_restore_refuses_a_missing_archive(tmp_path):
    with pytest.raises(BackupError):
        backup_restore(tmp_path / "absente.tar.gz")
