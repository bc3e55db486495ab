"""The one Markdown renderer: Markdown → HTML → nh3 allow-list. Every user text goes through it.
And the one Markdown → plain text converter, for search, snippets and exports."""

import html as html_entities
import re
from collections.abc import Callable

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"scope"}, "td": set()}
EXTENSIONS = ["extra", "sane_lists"]
# Characters and line starts that mean something in Markdown (emphasis, code, headings, links, HTML, lists,
# tables, setext underlines); a text with none of them renders as itself.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_#\[\]<>&!|~]|^\s*(?:[-+]|\d+[.)])\s|^[=-]{2,}\s*$", re.M)


def render_markdown(text: str) -> SafeString:
    # h1 is reserved for the page title: authors' top-level headings are shifted down one level.
    html = md.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308  (sanitised by nh3 just above)


def markdown_text_converter() -> Callable[[str], str]:
    """Markdown → plain text, reusing one parser: building a parser costs more than converting a short
    description, and an export converts thousands. Not thread-safe: one converter per export."""
    parser = md.Markdown(extensions=EXTENSIONS)

    def text(source: str) -> str:
        source = source or ""
        if not _MARKDOWN_SYNTAX.search(source):  # most descriptions are plain prose: nothing to convert
            return source.strip()
        return html_entities.unescape(nh3.clean(parser.reset().convert(source), tags=set())).strip()

    return text


def markdown_to_text(text: str) -> str:
    """Plain text of one Markdown document (for many, reuse a `markdown_text_converter()`)."""
    if not _MARKDOWN_SYNTAX.search(text or ""):  # plain prose: no parser to build
        return (text or "").strip()
    return markdown_text_converter()(text)
