"""Backup and restore of the database and the uploaded files, for SQLite and PostgreSQL.

An archive is a .tar.gz holding `manifest.json`, the database (`database.sqlite3` made with SQLite's online
backup API — safe while the site runs — or `database.dump` from `pg_dump --format=custom`) and `media/`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]  # not on the command line, where `ps` would show it
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} a échoué : {result.stderr.strip()[:2000]}")


def _dump_database(target_dir: Path) -> str:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        destination = sqlite3.connect(target_dir / "database.sqlite3")
        with destination:
            connection.connection.backup(destination)
        destination.close()
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(target_dir / "database.dump"), *args], env)
        return "database.dump"
    raise BackupError(f"Base de données non prise en charge : {connection.vendor}")


def backup_create(output: Path | None = None) -> Path:
    """Write an archive of the database and MEDIA_ROOT; returns its path."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    output = Path(output or Path(settings.DATA_DIR) / "backups" / f"catalyse-{stamp}.tar.gz")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        database_file = _dump_database(tmp_dir)
        manifest = {"format": FORMAT_VERSION, "engine": connection.vendor, "database": database_file,
                    "created_at": timezone.now().isoformat()}
        (tmp_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(tmp_dir / "manifest.json", arcname="manifest.json")
            archive.add(tmp_dir / database_file, arcname=database_file)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname="media")
        partial.replace(output)  # never leave a half-written archive under the final name
    return output


def backup_restore(archive_path: Path) -> dict:
    """Replace the database and MEDIA_ROOT with the archive's content. Returns the manifest."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"Archive introuvable : {archive_path}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(tmp_dir, filter="data")  # refuses absolute paths, "..", devices, links out
        try:
            manifest = json.loads((tmp_dir / "manifest.json").read_text())
        except (FileNotFoundError, json.JSONDecodeError) as exc:
            raise BackupError("Archive invalide : manifest.json absent ou illisible.") from exc
        if manifest.get("engine") != connection.vendor:
            raise BackupError(f"Archive {manifest.get('engine')} : elle ne peut pas être restaurée dans une base "
                              f"{connection.vendor} (utilisez dumpdata/loaddata pour changer de moteur).")
        _restore_database(tmp_dir / manifest["database"])
        _restore_media(tmp_dir / "media")
    # Cached pages and states are keyed by versions that the restored data counts again from older values.
    cache.clear()
    return manifest


def _restore_database(dump: Path) -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(dump)
        source.backup(connection.connection)
        source.close()
        return
    args, env = _pg_env()
    connection.close()  # our own idle connection must not hold locks on the tables being replaced
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          *args, str(dump)], env)


def _restore_media(source: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    if source.is_dir():
        shutil.copytree(source, media)
    else:
        media.mkdir(parents=True, exist_ok=True)
