"""The colours of catalyse.css meet WCAG 2.1 AA for text (4.5:1)."""

import pytest

from catalyse.core.design import TEXT_PAIRS, colour_tokens, contrast, resolve, sdg_colours


def test_the_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey


def test_tokens_are_read_from_the_stylesheet():
    assert {"ink", "muted", "accent", "soft", "accent-soft"} <= set(colour_tokens())


@pytest.mark.parametrize(("text", "background"), TEXT_PAIRS)
def test_text_colours_reach_aa(text, background):
    assert contrast(resolve(text), resolve(background)) >= 4.5


def test_every_sdg_badge_is_readable_in_its_official_colour():
    colours = sdg_colours()
    assert sorted(colours) == list(range(1, 18))
    low = {n: round(contrast(bg, fg), 2) for n, (bg, fg) in colours.items() if contrast(bg, fg) < 4.5}
    assert not low
