"""The screenshots of docs/design.md: each component of the design page (/design/) at desktop width, and the
detail layout at phone width. Not part of `make test` (marker `gallery`); `make gallery` regenerates them."""

from pathlib import Path

import pytest

from catalyse.accounts.models import Role
from catalyse.accounts.tests.factories import UserFactory

from .main_pages import sign_in
from .test_gallery import save_small

pytestmark = [pytest.mark.gallery, pytest.mark.django_db(transaction=True)]

DESIGN = Path(__file__).resolve().parents[3] / "docs" / "design"


def test_design_gallery(browser, live_server, territories):
    DESIGN.mkdir(parents=True, exist_ok=True)
    for old in DESIGN.glob("*.png"):
        old.unlink()
    for device, width in (("bureau", 1280), ("mobile", 390)):
        context = browser.new_context(
            locale="fr-FR", viewport={"width": width, "height": 900}, device_scale_factor=1, reduced_motion="reduce"
        )
        sign_in(context, live_server.url, UserFactory(role=Role.ANIMATOR))
        page = context.new_page()
        assert page.goto(live_server.url + "/design/", wait_until="networkidle").ok
        components = page.locator(".design-component")
        names = [] if device == "mobile" else components.evaluate_all("all => all.map(e => e.id)")
        for name in names:
            png = page.locator(f"#{name}").screenshot(animations="disabled", caret="hide")
            save_small(png, DESIGN / f"{name.removeprefix('composant-')}.png")
        if device == "mobile":  # the sidebar goes above the story on phones
            save_small(page.locator("#composant-fiche").screenshot(animations="disabled"), DESIGN / "fiche-mobile.png")
        context.close()
    assert len(list(DESIGN.glob("*.png"))) >= 12
