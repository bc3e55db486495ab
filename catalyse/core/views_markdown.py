"""The Markdown editor's live preview: the text rendered by the one renderer (core.markdown), so the preview
is exactly what the page will show, sanitised the same way (the browser never renders raw user HTML)."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .markdown import render_markdown

MAX_CHARS = 200_000  # a long récit is ~20 000 characters


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "")
    if len(text) > MAX_CHARS:
        return HttpResponseBadRequest(_("Texte trop long pour l'aperçu."), content_type="text/plain; charset=utf-8")
    return HttpResponse(render_markdown(text), content_type="text/html; charset=utf-8")
