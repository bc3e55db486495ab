from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from catalyse.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    return render_markdown(text)


@register.simple_tag
def icon(name: str, label: str = ""):
    """A Lucide icon of the vendored sprite (scripts/build_icons.py lists them). Decorative unless `label`
    is given, which becomes its accessible name (for an icon with no visible text beside it)."""
    href = static("vendor/lucide/icons.svg") + "#" + name
    if label:
        return format_html('<svg class="icon" role="img" aria-label="{}"><use href="{}"></use></svg>', label, href)
    return format_html('<svg class="icon" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', href)
