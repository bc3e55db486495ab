"""Form widgets shared by the apps."""

import json

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _


class MarkdownTextarea(forms.Textarea):
    """A textarea the Markdown editor (vendored EasyMDE, markdown-editor.js) enhances with a toolbar and a live
    preview rendered by the server; without JavaScript it stays a plain textarea."""

    class Media:
        css = {"all": ["vendor/easymde/easymde.min.css", "catalyse/markdown-editor.css"]}
        js = ["vendor/easymde/easymde.min.js", "catalyse/markdown-editor.js"]

    def get_context(self, name, value, attrs):
        # Resolved at render time: the URL and the labels in the language of the request.
        texts = {
            "bold": _("Gras"),
            "italic": _("Italique"),
            "heading": _("Titre"),
            "unordered-list": _("Liste"),
            "ordered-list": _("Liste numérotée"),
            "quote": _("Citation"),
            "link": _("Lien"),
            "side-by-side": _("Aperçu en direct"),
            "preview": _("Aperçu seul"),
            "toolbar": _("Mise en forme du texte"),
            "error": _("L'aperçu n'a pas pu être affiché."),
        }
        attrs = {
            **(attrs or {}),
            "data-markdown-editor": "",
            "data-preview-url": reverse("markdown_preview"),
            "data-editor-texts": json.dumps(texts, ensure_ascii=False),
        }
        return super().get_context(name, value, attrs)
