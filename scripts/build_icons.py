"""Builds catalyse/core/static/vendor/lucide/icons.svg, the subset of Lucide icons the site uses, as one
SVG sprite (`<symbol id="map">…`), from an unpacked `lucide-static` npm package:

    cd /tmp && npm pack lucide-static && tar xzf lucide-static-*.tgz
    python scripts/build_icons.py /tmp/package

Add a name to ICONS and rerun to use one more icon ({% icon "name" %}, catalyse/core/templatetags).
"""

import re
import shutil
import sys
from pathlib import Path

ICONS = [
    "arrow-right",
    "book-open",
    "building-2",
    "calendar",
    "chart-column",
    "check",
    "download",
    "external-link",
    "globe",
    "handshake",
    "info",
    "landmark",
    "layers",
    "lightbulb",
    "map",
    "map-pin",
    "pen-line",
    "plus",
    "search",
    "sparkles",
    "tag",
    "target",
    "triangle-alert",
    "user-plus",
    "users",
    "x",
]
OUT = Path(__file__).resolve().parents[1] / "catalyse" / "core" / "static" / "vendor" / "lucide"


def main(package: Path) -> None:
    version = re.search(r'"version":\s*"([^"]+)"', (package / "package.json").read_text())[1]
    symbols = []
    for name in ICONS:
        svg = (package / "icons" / f"{name}.svg").read_text()
        body = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S)[1]
        body = re.sub(r"\s*\n\s*", "", body)
        symbols.append(f'<symbol id="{name}" viewBox="0 0 24 24">{body}</symbol>')
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icons.svg").write_text(
        # Stroke and fill come from the .icon class of catalyse.css (a style element here would need the CSP).
        f'<svg xmlns="http://www.w3.org/2000/svg"><!-- Lucide {version}, ISC licence (LICENSE) -->\n'
        + "\n".join(symbols)
        + "\n</svg>\n"
    )
    shutil.copy(package / "LICENSE", OUT / "LICENSE")
    (OUT / "VERSION").write_text(f"lucide-static {version}: {len(ICONS)} icons (scripts/build_icons.py)\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
