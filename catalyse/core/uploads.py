"""Checks for every uploaded file (logos, avatars, initiative documents, evidence).

The browser's Content-Type and the file name are the uploader's claims; we decide from the bytes:

    image = clean_image(form.cleaned_data["logo"])            # re-encoded PNG/JPEG/WebP, metadata dropped
    kind = check_document(form.cleaned_data["document"])      # "pdf", "office", "text" or an image kind

Both raise `django.core.exceptions.ValidationError` with a French message, so form `clean_<field>` methods
can call them directly. SVG is refused: it is a document that can carry scripts, and sanitising it reliably
is harder than asking for a PNG.
"""

from __future__ import annotations

import io
import os
import zipfile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # decompression bombs: a tiny PNG can declare a gigantic canvas
MAX_IMAGE_SIDE = 2000  # larger images are scaled down on re-encoding

_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
]
_EXTENSIONS = {
    "pdf": {".pdf"},
    "png": {".png"},
    "jpeg": {".jpg", ".jpeg"},
    "gif": {".gif"},
    "webp": {".webp"},
    "office": {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"},
    "text": {".txt", ".csv", ".md"},
}
IMAGE_KINDS = {"png", "jpeg", "gif", "webp"}
DOCUMENT_KINDS = {"pdf", "office", "text"} | IMAGE_KINDS


def _head(f: UploadedFile, size: int = 2048) -> bytes:
    f.seek(0)
    head = f.read(size)
    f.seek(0)
    return head


def sniff(f: UploadedFile) -> str | None:
    """The kind of file from its first bytes: pdf, png, jpeg, gif, webp, office, svg, text, or None."""
    head = _head(f)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return _office_or_none(f) if kind == "zip" else kind
    if b"\x00" in head:
        return None
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n").lower()
    if text.startswith(("<?xml", "<svg", "<!doctype svg")) or "<svg" in text:
        return "svg"
    if text.startswith(("<!doctype html", "<html", "<script")):
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is fine; anything else is binary.
        if exc.start < len(head) - 4:
            return None
    return "text"


def _office_or_none(f: UploadedFile) -> str | None:
    """OOXML and OpenDocument files are zips with a known manifest; other zips are refused."""
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        f.seek(0)
    return "office" if "[Content_Types].xml" in names or "mimetype" in names else None


def _check_size(f: UploadedFile, max_bytes: int) -> None:
    if f.size is not None and f.size > max_bytes:
        raise ValidationError(
            _("Fichier trop volumineux (%(size)s Mo au maximum).") % {"size": max_bytes // (1024 * 1024)},
            code="too_large",
        )


def _check_kind(f: UploadedFile, allowed: set[str]) -> str:
    kind = sniff(f)
    if kind == "svg":
        raise ValidationError(_("Les images SVG ne sont pas acceptées : envoyez un PNG ou un JPEG."), code="svg")
    if kind not in allowed:
        raise ValidationError(_("Type de fichier non accepté."), code="type")
    extension = os.path.splitext(f.name or "")[1].lower()
    if extension not in _EXTENSIONS[kind]:
        raise ValidationError(_("L'extension du fichier ne correspond pas à son contenu."), code="extension")
    return kind


def check_document(f: UploadedFile, *, max_bytes: int | None = None, allowed: set[str] = DOCUMENT_KINDS) -> str:
    """Validate a document upload by content, extension and size; returns its kind."""
    _check_size(f, max_bytes or getattr(settings, "CATALYSE_MAX_DOCUMENT_BYTES", MAX_DOCUMENT_BYTES))
    return _check_kind(f, allowed)


def clean_image(f: UploadedFile, *, max_bytes: int | None = None, max_side: int = MAX_IMAGE_SIDE) -> ContentFile:
    """Validate an image and re-encode it with Pillow: drops metadata (GPS…) and anything appended to or
    hidden in the file. PNG and GIF become PNG, JPEG stays JPEG, WebP stays WebP."""
    _check_size(f, max_bytes or getattr(settings, "CATALYSE_MAX_IMAGE_BYTES", MAX_IMAGE_BYTES))
    kind = _check_kind(f, IMAGE_KINDS)
    try:
        f.seek(0)
        with Image.open(f) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("Image trop grande."), code="too_many_pixels")
            image.load()
            image.thumbnail((max_side, max_side))
            out_format = {"jpeg": "JPEG", "webp": "WEBP"}.get(kind, "PNG")
            if out_format == "JPEG" and image.mode not in {"RGB", "L"}:
                image = image.convert("RGB")
            elif out_format == "PNG" and image.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
                image = image.convert("RGBA")
            buffer = io.BytesIO()
            image.save(buffer, format=out_format)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ValidationError(_("Image illisible ou corrompue."), code="invalid_image") from exc
    finally:
        f.seek(0)
    stem = os.path.splitext(os.path.basename(f.name or "image"))[0][:80] or "image"
    extension = {"JPEG": ".jpg", "WEBP": ".webp"}.get(out_format, ".png")
    return ContentFile(buffer.getvalue(), name=stem + extension)


# The widget of those fields: the browser offers only the formats clean_image() keeps.
IMAGE_INPUT = forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})


class ImageUploadField(forms.ImageField):
    """The form field of every image a person uploads (logos, covers): a new upload comes back checked and
    re-encoded by clean_image(); the stored file, or nothing, comes back as is."""

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and hasattr(value, "content_type"):  # a new upload, not the stored file
            return clean_image(value)
        return value


def file_change(data: dict, name: str) -> dict:
    """A cleaned file field as services take it: no upload keeps the stored file (the key is dropped), the
    "clear" box ticked empties it."""
    if data.get(name) is None:
        data.pop(name, None)
    elif data[name] is False:
        data[name] = ""
    return data
