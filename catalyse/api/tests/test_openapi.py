"""The OpenAPI document names each schema by its class name: two classes of the same name would share one entry,
and clients (and the fuzzing tests) would read one endpoint's answer against the other's description."""

from collections import Counter

from ninja import Schema

import catalyse.api.main  # noqa: F401 - mounts every app's router, which imports their schemas


def _schemas(cls=Schema):
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_every_api_schema_has_its_own_name():
    # A model derived under its base's own name (search adds its facets to `SearchFilters`) replaces it: one name.
    names = Counter(cls.__name__ for cls in set(_schemas()) if cls.__module__.startswith("catalyse.")
                    and not any(base.__name__ == cls.__name__ for base in cls.__bases__))
    assert [name for name, count in names.items() if count > 1] == []
