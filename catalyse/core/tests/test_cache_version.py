"""The data version moves on every save that cached pages and counts depend on, and never moves back."""

import os
import subprocess
import sys

from django.conf import settings as django_settings
from django.core.cache import cache

from catalyse.core.cache_version import DataVersion


def test_a_version_guarded_save_moves_the_version(org):
    from catalyse.actors.browse_cache import DIRECTORY_VERSION as VERSION
    from catalyse.actors.services import organisation_update

    before = VERSION.get()
    organisation_update(org, expected_version=org.version, name="Nouveau nom")
    assert VERSION.get() > before


def test_a_version_lost_from_a_shared_cache_starts_again_above_the_old_one(db, settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(tmp_path / "cache")}}  # shared by processes, like Redis
    version = DataVersion("tests:version")
    version.bump()
    seen = version.get()
    cache.delete(version.key)
    assert version.get() > seen


def test_with_the_per_process_memory_cache_another_worker_sees_a_bump(db):
    """Two gunicorn workers do not share a memory cache: the version must still be the same for both."""
    version = DataVersion("tests:workers")
    version.bump()
    read = ("import django; django.setup(); from catalyse.core.cache_version import DataVersion; "
            "print(DataVersion('tests:workers').get())")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "catalyse.settings_test",
           "CATALYSE_DATA_DIR": str(django_settings.DATA_DIR)}

    def other_worker() -> int:
        out = subprocess.run([sys.executable, "-c", read], env=env, capture_output=True, text=True, check=True)  # noqa: S603
        return int(out.stdout.strip())

    assert other_worker() == version.get()
    version.bump()
    assert other_worker() == version.get()


def test_an_audience_shares_one_copy_until_the_data_version_moves(db, member):
    from django.contrib.auth.models import AnonymousUser

    from catalyse.core.cache_version import cached_for_audience, person_audience, visitors_audience

    version, computed = DataVersion("tests:audience"), []

    def cached(audience):
        return cached_for_audience(version, "tests", "page", lambda: computed.append(audience) or len(computed),
                                   audience=audience, seconds=60)

    visitor = AnonymousUser()
    assert cached(person_audience(visitor)) == cached(visitors_audience(visitor)) == 1  # visitors share
    assert cached(person_audience(member)) == 2  # a member has a copy of their own
    assert cached(visitors_audience(member)) == 3 and cached(visitors_audience(member)) == 4  # or none at all
    version.bump()
    assert cached(person_audience(visitor)) == 5
