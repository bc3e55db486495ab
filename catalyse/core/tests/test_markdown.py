import pytest

from catalyse.core.markdown import markdown_to_text, render_markdown


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[clic](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        '<svg onload="alert(1)"></svg>',
        "<style>body{display:none}</style>",
    ],
)
def test_script_injection_attempts_stay_inert(attack):
    html = render_markdown(attack)
    lowered = html.lower()
    assert "<script" not in lowered and "onerror" not in lowered and "javascript:" not in lowered
    assert "<iframe" not in lowered and "onload" not in lowered and "<style" not in lowered


def test_headings_links_and_images_survive_with_safe_rel():
    html = render_markdown("# Titre\n\n## Étape\n\n[site](https://exemple.fr) ![plan](https://exemple.fr/p.png)")
    assert "<h2>Titre</h2>" in html and "<h2>Étape</h2>" in html
    assert 'href="https://exemple.fr"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert '<img alt="plan" src="https://exemple.fr/p.png">' in html


def test_plain_text_for_indexing():
    assert markdown_to_text("**Alliance** _locale_") == "Alliance locale"


def test_plain_text_decodes_html_entities():
    assert markdown_to_text("Chaussettes & **tricots** <3") == "Chaussettes & tricots <3"


def test_plain_prose_is_kept_as_it_is():
    assert markdown_to_text("  Une association de quartier.  ") == "Une association de quartier."
