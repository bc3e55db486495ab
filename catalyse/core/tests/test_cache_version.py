"""The data version moves on every save that cached pages and counts depend on, and never moves back."""

from django.core.cache import cache

from catalyse.core.cache_version import DataVersion


def test_a_version_guarded_save_moves_the_version(org):
    from catalyse.actors.map_cache import VERSION
    from catalyse.actors.services import organisation_update

    before = VERSION.get()
    organisation_update(org, expected_version=org.version, name="Nouveau nom")
    assert VERSION.get() > before


def test_a_version_lost_from_the_cache_starts_again_above_the_old_one(db):
    version = DataVersion("tests:version")
    version.bump()
    seen = version.get()
    cache.delete(version.key)
    assert version.get() > seen
