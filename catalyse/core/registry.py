"""What each app contributes to `catalyse load_demo` and `catalyse generate`, registered from its `ready()`.

    registry.register_demo(self, demo.load, after=["actors"])
    registry.register_generator("initiatives", label="initiatives", generate=initiatives_generate,
                                clear=initiatives_clear, help="nombre d'initiatives à créer",
                                after=["organisations"], batch_divisor=2)

Core runs what is registered and never names an app: a new app plugs in without editing core. `after`
names the entries that must run first (initiatives refer to organisations); an entry named there but not
installed is ignored.

The home page is made of the blocks apps register the same way (see `register_home_block`):

    registry.register_home_block(self, "latest", "initiatives/home_latest.html", home.latest, order=30,
                                 versions=[DATA_VERSION])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from catalyse.core.cache_version import PUBLIC, DataVersion, cached_for_audience, visitors_audience

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


@dataclass(frozen=True)
class Derived:
    """Data an app derives from other apps' rows (counts kept per territory…) and that bulk writes leave stale:
    `generate` rebuilds it once it has generated or cleared."""

    name: str
    label: str
    rebuild: Callable[[], object]


_DEMOS: Ordered[Demo] = Ordered()
_GENERATORS: Ordered[Generator] = Ordered()
_DERIVED: Ordered[Derived] = Ordered()


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


def register_derived(name: str, *, label: str, rebuild: Callable[[], object], after: Iterable[str] = ()) -> None:
    _DERIVED.add(name, Derived(name=name, label=label, rebuild=rebuild), after)


def derived() -> list[Derived]:
    return _DERIVED.ordered()


@dataclass(frozen=True)
class HomeBlock:
    """A block of the home page. `context(request)` returns the template's context, or None to leave the
    block out (nothing to show yet); the template is rendered without the request (no `user`: what it
    shows must be the same for everyone the copy is shared with). With `versions`, the data versions
    (catalyse.core.cache_version) of what it shows, the rendered block is shared by signed-out visitors until
    one of them moves (at most `seconds`); signed-in people get it rendered afresh, unless the block is
    `public`: the same for everyone (its context reads as a visitor), so everyone shares the copy."""

    app: str
    name: str
    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int = 100
    versions: tuple[DataVersion, ...] = ()
    seconds: int = 60
    public: bool = False


@dataclass(frozen=True)
class RenderedHomeBlock:
    key: str  # "app-name", also the block's HTML id on the page
    html: SafeString


_HOME_BLOCKS: dict[str, HomeBlock] = {}


def register_home_block(app: AppConfig, name: str, template: str, context: Callable[[HttpRequest], dict | None],
                        *, order: int = 100, versions: Iterable[DataVersion] = (), seconds: int = 60,
                        public: bool = False) -> None:
    """Adds a block to the home page, in `order` (then by app and name): the network in figures 10, map and
    territories 20, initiatives 30, themes 35, events 40, results 50. Registering the same app and name
    again replaces the block."""
    _HOME_BLOCKS[f"{app.label}-{name}"] = HomeBlock(app.label, name, template, context, order, tuple(versions),
                                                    seconds, public)


def home_blocks(request: HttpRequest) -> list[RenderedHomeBlock]:
    """The home page's blocks for this person, rendered, in their order."""
    out = []
    for key, block in sorted(_HOME_BLOCKS.items(), key=lambda item: (item[1].order, item[0])):
        def render(block: HomeBlock = block) -> str:
            context = block.context(request)
            return "" if context is None else render_to_string(block.template, context)

        if not block.versions:
            html = render()
        else:
            # The first version is the key's; the others' numbers join the key, so any of them moving misses.
            first, *others = block.versions
            stamp = "|".join(str(v.get()) for v in others)
            html = cached_for_audience(first, "home", f"{key}|{stamp}", render,
                                       audience=PUBLIC if block.public else visitors_audience(request.user),
                                       seconds=block.seconds)
        if html:
            out.append(RenderedHomeBlock(key, SafeString(html)))
    return out
