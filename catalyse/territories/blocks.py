"""Blocks that other apps add to every territory page, registered from their `ready()`.

    from catalyse.territories import blocks
    blocks.register_territory_block("observatory_map", "observatory/block_map.html", map_block, order=35)

`context(request, territory)` returns the block's context (None leaves the block out). Territories never
names the apps that fill its page: they depend on territories, not the reverse.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from .models import Territory

BlockContext = Callable[[HttpRequest, Territory], dict | None]


@dataclass(frozen=True)
class TerritoryBlock:
    name: str
    template: str
    context: BlockContext
    order: int = 100


@dataclass(frozen=True)
class RenderedBlock:
    name: str
    template: str
    context: dict


_BLOCKS: dict[str, TerritoryBlock] = {}


def register_territory_block(name: str, template: str, context: BlockContext, *, order: int = 100) -> None:
    _BLOCKS[name] = TerritoryBlock(name, template, context, order)


def territory_blocks(request: HttpRequest, territory: Territory) -> list[RenderedBlock]:
    """The registered blocks for this page, in their order, with their context."""
    out = []
    for block in sorted(_BLOCKS.values(), key=lambda b: (b.order, b.name)):
        context = block.context(request, territory)
        if context is not None:
            out.append(RenderedBlock(block.name, block.template, context))
    return out
