"""The design system's colours, read from catalyse.css (the one place they are written), and their WCAG
contrast: the /design/ page shows them, a test holds them to AA."""

import re
from functools import lru_cache
from pathlib import Path

STYLESHEET = Path(__file__).parent / "static" / "catalyse" / "catalyse.css"

# (text, background) token pairs the stylesheet uses for text: each must reach 4.5:1.
TEXT_PAIRS = [
    (text, background)
    for background in ("bg", "soft")
    for text in ("ink", "muted", "accent", "accent-dark", "ok", "warn", "error", "warm", "focus")
] + [
    ("accent-dark", "accent-soft"),
    ("ok", "ok-soft"),
    ("warn", "warn-soft"),
    ("error", "error-soft"),
    ("ink", "accent-soft"),
    ("#ffffff", "accent"),
    ("#ffffff", "accent-dark"),
    ("#ffffff", "warn"),
]


@lru_cache(maxsize=1)
def colour_tokens() -> dict[str, str]:
    """Custom property name (without "--") → #rrggbb, as declared in :root."""
    root = re.search(r":root\s*\{(.*?)\n\}", STYLESHEET.read_text(), re.S)[1]
    return {name: value.lower() for name, value in re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", root)}


@lru_cache(maxsize=1)
def sdg_colours() -> dict[int, tuple[str, str]]:
    """SDG number → (background, text) of its badge class."""
    rules = re.findall(r"\.sdg-(\d+) \{ background: (#\w{6});(?: color: (#\w{6});)?", STYLESHEET.read_text())
    return {int(n): (bg.lower(), (fg or "#ffffff").lower()) for n, bg, fg in rules}


def _luminance(colour: str) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def resolve(colour: str) -> str:
    return colour if colour.startswith("#") else colour_tokens()[colour]


@lru_cache(maxsize=1)
def icon_names() -> list[str]:
    """The icons of the vendored sprite (scripts/build_icons.py), for {% icon %}."""
    sprite = STYLESHEET.parents[1] / "vendor" / "lucide" / "icons.svg"
    return re.findall(r'<symbol id="([\w-]+)"', sprite.read_text())
