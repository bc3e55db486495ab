"""The screenshot gallery of `docs/gallery/`: each main page (`main_pages.MAIN_PAGES`) with the demo data, at
desktop and phone widths. Not part of `make test` (marker `gallery`); `make gallery` regenerates it."""

import io
from pathlib import Path

import pytest
from PIL import Image

from .main_pages import MAIN_PAGES, demo_site, sign_in

# Not marked `browser`: a `-m browser` run must not rewrite docs/gallery/.
pytestmark = [pytest.mark.gallery, pytest.mark.django_db(transaction=True)]

GALLERY = Path(__file__).resolve().parents[3] / "docs" / "gallery"
# The first screen of each page, as a visitor sees it on arrival.
VIEWPORTS = {"bureau": {"width": 1280, "height": 800}, "mobile": {"width": 390, "height": 844}}


def save_small(png: bytes, path: Path) -> None:
    # A 128-colour palette keeps text crisp and divides the size by three or four.
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)


def test_gallery(browser, live_server, territories, settings, tmp_path):
    people = demo_site(settings, tmp_path)
    GALLERY.mkdir(parents=True, exist_ok=True)
    for old in GALLERY.glob("*.png"):
        old.unlink()
    rows = []
    for device, viewport in VIEWPORTS.items():
        contexts = {}
        for name, url, who in MAIN_PAGES:
            if who not in contexts:
                contexts[who] = browser.new_context(locale="fr-FR", viewport=viewport, device_scale_factor=1,
                                                    reduced_motion="reduce")
                if who:
                    sign_in(contexts[who], live_server.url, people[who])
            page = contexts[who].new_page()
            response = page.goto(live_server.url + url, wait_until="networkidle")
            assert response.ok, f"{name}: {response.status}"
            page.wait_for_timeout(300)  # map and graph animations settle
            save_small(page.screenshot(animations="disabled", caret="hide"), GALLERY / f"{name}-{device}.png")
            page.close()
            if device == "bureau":
                rows.append((name, url, who))
        for context in contexts.values():
            context.close()
    lines = ["# Galerie des pages principales", "",
             "Régénérée par `make gallery` (données de démonstration ; premier écran de chaque page à 1280 px et",
             "à 390 px). Pour ajouter une page : une ligne dans `MAIN_PAGES` de `catalyse/core/tests/main_pages.py`.",
             "", "| page | adresse | vue par | bureau (1280 px) | mobile (390 px) |", "|---|---|---|---|---|"]
    for name, url, who in rows:
        lines.append(f"| {name} | `{url}` | {who or 'visiteur'} | ![{name}, bureau]({name}-bureau.png) "
                     f"| ![{name}, mobile]({name}-mobile.png) |")
    (GALLERY / "README.md").write_text("\n".join(lines) + "\n")
