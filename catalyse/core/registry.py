"""What each app contributes to `catalyse load_demo` and `catalyse generate`, registered from its `ready()`.

    registry.register_demo(self, demo.load, after=["actors"])
    registry.register_generator("initiatives", label="initiatives", generate=initiatives_generate,
                                clear=initiatives_clear, help="nombre d'initiatives à créer",
                                after=["organisations"], batch_divisor=2)

Core runs what is registered and never names an app: a new app plugs in without editing core. `after`
names the entries that must run first (initiatives refer to organisations); an entry named there but not
installed is ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Ordered(Generic[T]):
    """Named entries returned in an order that honours their `after` dependencies, else registration order;
    `last` entries come after all the others (they work on what the others made)."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[T, tuple[str, ...]]] = {}
        self._last: set[str] = set()

    def add(self, name: str, entry: T, after: Iterable[str] = (), last: bool = False) -> None:
        self._entries[name] = (entry, tuple(after))
        if last:
            self._last.add(name)

    def ordered(self) -> list[T]:
        done: dict[str, None] = {}
        visiting: set[str] = set()

        def visit(name: str) -> None:
            if name in done or name not in self._entries:
                return
            if name in visiting:
                raise ImproperlyConfigured(f"Dépendance circulaire autour de « {name} ».")
            visiting.add(name)
            for before in self._entries[name][1]:
                visit(before)
            visiting.discard(name)
            done[name] = None

        for name in sorted(self._entries, key=lambda name: name in self._last):
            visit(name)
        return [self._entries[name][0] for name in done]


@dataclass(frozen=True)
class Demo:
    label: str  # shown before the loader's one-line summary
    load: Callable[[], str]


@dataclass(frozen=True)
class Generator:
    """A national-scale generator: `generate --<name> N` writes N rows, `generate --clear` removes them."""

    name: str
    label: str  # plural noun in the command's messages, e.g. "organisations"
    generate: Callable[..., int]  # (*, count, seed, batch, progress) -> rows written
    clear: Callable[[], int]
    help: str
    batch_divisor: int = 1  # rows with many dependent rows each are written in smaller transactions


_DEMOS: Ordered[Demo] = Ordered()
_GENERATORS: Ordered[Generator] = Ordered()


def register_demo(app: AppConfig, load: Callable[[], str], *, after: Iterable[str] = (), last: bool = False) -> None:
    """`load()` is idempotent and returns a one-line summary; `after` names app labels; a `last` loader
    runs after every other one (the search app indexes what they created)."""
    _DEMOS.add(app.label, Demo(label=str(app.verbose_name), load=load), after, last)


def demo_loaders() -> list[Demo]:
    return _DEMOS.ordered()


def register_generator(name: str, *, after: Iterable[str] = (), **options) -> None:
    _GENERATORS.add(name, Generator(name=name, **options), after)


def generators() -> list[Generator]:
    return _GENERATORS.ordered()
