"""The one PDF renderer: a Typst template shipped with the code, fed with JSON.

    pdf = render_pdf("workshops/typst/synthesis.typ", {"groups": [...]}, title="Synthèse", kind="Rencontre")
    return pdf_response(pdf, name=f"synthese-{event.slug}", private=False)

Templates live in an app's `typst/` folder and start from `core/typst/base.typ` (A4, French, header and footer
with the platform's name and page numbers, an optional "valeurs fictives" notice), so every report looks alike.
The data never becomes markup: it travels as one JSON string in `sys.inputs` and the template reads it with
`json()`, so whatever a user typed (`#`, `*`, `]`, `$`, `<script>`) is printed as typed.

Fonts come from the machine's fonts-dejavu-core when it is there (Debian, installed by `.ci/run` and the
Dockerfile) and from the fonts built into the compiler (Libertinus Serif) otherwise; system fonts are not
scanned, so two machines with the same packages print the same PDF and no stray font changes a report.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typst
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

PLATFORM_NAME = "Catalyse"
# Templates name each other from here ("/core/typst/base.typ"): the package root is the Typst project root,
# so a template can read nothing outside the code.
TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)


class PdfError(RuntimeError):
    """A template that does not compile: a bug in our code, never in the user's data."""


def font_dirs() -> list[str]:
    return [str(path) for path in FONT_DIRS if path.is_dir()]


def _template_path(template: str) -> Path:
    path = (TEMPLATE_ROOT / template).resolve()
    if not path.is_relative_to(TEMPLATE_ROOT) or path.suffix != ".typ" or not path.is_file():
        raise PdfError(f"Modèle Typst introuvable : {template}")
    return path


def render_pdf(
    template: str, data: Mapping[str, Any], *, title: str, subtitle: str = "", kind: str = "", fictitious: bool = False
) -> bytes:
    """The PDF of `template` (a path below the `catalyse` package) filled with `data` (anything JSON can carry,
    dates and lazy translations included). `kind` is the small line above the title ("Synthèse d'événement");
    `fictitious` prints the notice that the figures are made up (demo and test data)."""
    path = _template_path(template)
    now = timezone.localtime()
    with translation.override("fr"):
        meta = {
            "title": title,
            "subtitle": subtitle,
            "kind": kind,
            "platform": PLATFORM_NAME,
            "fictitious": fictitious,
            "generated": gettext("Édité le %(date)s") % {"date": formats.date_format(now, "DATE_FORMAT")},
            "labels": {
                "page": gettext("Page"),
                "of": gettext("sur"),
                "fictitious": gettext("Valeurs fictives : ce document sert de démonstration."),
            },
        }
        payload = json.dumps({"meta": meta, "data": data}, cls=DjangoJSONEncoder, ensure_ascii=False)
    try:
        return typst.compile(
            path,
            root=TEMPLATE_ROOT,
            format="pdf",
            font_paths=font_dirs(),
            ignore_system_fonts=True,
            sys_inputs={"catalyse": payload},
            timestamp=timezone.now().replace(microsecond=0),
        )
    except typst.TypstError as error:
        raise PdfError(f"{template} : {error.message}") from error


def pdf_filename(name: str, day: datetime.date | None = None) -> str:
    """`name` as an ASCII file name safe in any header, dated so that two editions of a report downloaded on
    different days never overwrite each other: "synthese-rencontre-2019-2026-12-03.pdf"."""
    day = day or timezone.localdate()
    return f"{slugify(name)[:80].strip('-') or 'document'}-{day.isoformat()}.pdf"


def pdf_response(pdf: bytes, *, name: str, private: bool = True, inline: bool = False) -> FileResponse:
    """A PDF download named after `name`. A private PDF is never stored by a browser or a proxy; a public one
    may be, but is revalidated each time (its ETag is its content) since an edit changes it."""
    response = FileResponse(
        io.BytesIO(pdf), as_attachment=not inline, filename=pdf_filename(name), content_type="application/pdf"
    )
    response["ETag"] = '"' + hashlib.sha256(pdf).hexdigest()[:32] + '"'
    response["Cache-Control"] = "private, no-store" if private else "no-cache"
    return response
