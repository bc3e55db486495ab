"""Uploaded files, sent with the permission of the object that owns them.

`/media/` (MEDIA_URL) is not a folder the web server shows: serving it as such would hand partners-only
documents to anyone holding the link. Each app declares which model field owns the files of a folder,
next to its permission policies:

    files.register(Resource, "file")     # in the app's permissions.py, imported by its AppConfig.ready

A path names its owner: the folder is the field's `upload_to`, the owner the row whose field holds exactly
this path. A file no registered field holds (import uploads and reports, the old file of a replaced logo,
anything put there by hand) is never sent. What a visitor may see is public and cacheable; the rest is
`Cache-Control: private`. Images are shown inline, every other document is downloaded (attachment);
`X-Content-Type-Options: nosniff` and a sandboxing CSP keep a browser from running anything in a file.

Django decides; in production the web server sends the bytes (CATALYSE_MEDIA_ACCEL, see docs/security.md):
- "x-accel-redirect" (nginx): `X-Accel-Redirect: CATALYSE_MEDIA_ACCEL_PREFIX + path`, an `internal` location;
- "x-sendfile" (Apache mod_xsendfile, lighttpd): `X-Sendfile: <absolute path>`;
- "" (the default): Django streams the file itself.
"""

from __future__ import annotations

import mimetypes
import posixpath
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from . import permissions

PUBLIC_MAX_AGE = 3600  # an object made private later stays in shared caches this long at most
INLINE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}


@dataclass(frozen=True)
class FileOwner:
    model: type[Model]
    field: str


_OWNERS: dict[str, FileOwner] = {}  # upload folder ("logos") → the field whose files it holds


def register(model: type[Model], field: str, folder: str = "") -> None:
    """Files of `model.field` are sent to those who may see their object (see the module docstring).
    `folder`: another folder the field's files are in (those uploaded when the model had another home)."""
    folder = folder or model._meta.get_field(field).upload_to
    if not isinstance(folder, str) or not folder.strip("/") or "%" in folder:
        raise ImproperlyConfigured(f"{model.__name__}.{field}: a fixed upload_to folder is needed to find its files")
    _OWNERS[folder.strip("/")] = FileOwner(model, field)


def owned_file(path: str) -> tuple[Model, FieldFile] | None:
    """The object owning the stored file at `path` (relative to the media folder) and the file, or None."""
    if path != posixpath.normpath(path) or path.startswith(("/", "..")) or "\\" in path or "\x00" in path:
        return None
    owner = _OWNERS.get(posixpath.dirname(path))
    if owner is None:
        return None
    obj = owner.model._default_manager.filter(**{owner.field: path}).first()
    return None if obj is None else (obj, getattr(obj, owner.field))


def file_response(request: HttpRequest, path: str) -> HttpResponse:
    """The file at `path` if the person may see its object; 404 otherwise, as for a file that does not exist
    (the existence of a private object is not revealed)."""
    found = owned_file(path)
    if found is None or not permissions.can_view(request.user, found[0]):
        raise Http404("Introuvable.")
    obj, field_file = found
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = _send(field_file, path, content_type)
    public = permissions.can_view(AnonymousUser(), obj)
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}" if public else "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = content_disposition_header(
        content_type not in INLINE_TYPES, posixpath.basename(path))
    return response


def _send(field_file: FieldFile, path: str, content_type: str) -> HttpResponse:
    mode = getattr(settings, "CATALYSE_MEDIA_ACCEL", "")
    if mode == "x-accel-redirect":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(settings.CATALYSE_MEDIA_ACCEL_PREFIX + path)
        return response
    if mode == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = field_file.path
        return response
    try:
        return FileResponse(field_file.open("rb"), content_type=content_type)
    except FileNotFoundError:
        raise Http404("Introuvable.") from None
