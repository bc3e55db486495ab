import pytest
from django.core.exceptions import ImproperlyConfigured

from catalyse.core.registry import Ordered


def _ordered(*entries: tuple[str, list[str], bool]) -> list[str]:
    registry: Ordered[str] = Ordered()
    for name, after, last in entries:
        registry.add(name, name, after, last)
    return registry.ordered()


def test_entries_keep_their_registration_order_without_dependencies():
    assert _ordered(("a", [], False), ("b", [], False)) == ["a", "b"]


def test_an_entry_runs_after_those_it_names_even_when_registered_first():
    assert _ordered(("initiatives", ["actors"], False), ("actors", [], False)) == ["actors", "initiatives"]


def test_a_dependency_that_is_not_installed_is_ignored():
    assert _ordered(("initiatives", ["actors"], False)) == ["initiatives"]


def test_a_last_entry_runs_after_every_other_one():
    assert _ordered(("search", [], True), ("actors", [], False), ("notes", [], False)) == ["actors", "notes", "search"]


def test_a_dependency_cycle_is_refused():
    with pytest.raises(ImproperlyConfigured):
        _ordered(("a", ["b"], False), ("b", ["a"], False))
