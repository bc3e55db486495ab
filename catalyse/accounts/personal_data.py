"""GDPR: a person downloads everything we hold about them, and may delete their account.

Apps holding personal data contribute through one registry, from their AppConfig.ready() (the actors app
adds the organisations a person created, the initiatives app their initiatives and uploaded files):

    personal_data.register("initiatives_created", initiatives_created)  # user -> (rows, files)

`rows` is JSON-serialisable, `files` an iterable of Django FieldFiles copied into the archive.
Data that is the person's own rather than a contribution (an event registration) is erased on deletion by
the app that holds it: `personal_data.register_eraser("event_registrations", registrations_erase)`.
Deletion keeps contributions (organisations, initiatives, cards…): the account row stays, anonymised,
and shows as "Ancien membre" everywhere.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from .audit import Action, audit_record
from .models import AuditEntry, Suggestion, User, UserSession

Exporter = Callable[[User], tuple[Any, Iterable]]
_EXPORTERS: dict[str, Exporter] = {}


def register(name: str, exporter: Exporter) -> None:
    _EXPORTERS[name] = exporter


Eraser = Callable[[User], object]
_ERASERS: dict[str, Eraser] = {}


def register_eraser(name: str, eraser: Eraser) -> None:
    """`eraser(user)` runs when the account is deleted, before its address is replaced (it may find rows by
    it), in the deletion's transaction."""
    _ERASERS[name] = eraser


def _account(user: User) -> tuple[Any, Iterable]:
    return {
        "email": user.email, "display_name": user.display_name, "role": user.role,
        "email_verified": user.email_verified, "show_name_publicly": user.show_name_publicly,
        "show_testimonies_publicly": user.show_testimonies_publicly, "two_factor": user.totp_enabled,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }, []


def _memberships(user: User) -> tuple[Any, Iterable]:
    return [{"organisation": m.organisation.name, "slug": m.organisation.slug, "role": m.role,
             "joined_at": m.joined_at.isoformat()} for m in user.memberships.select_related("organisation")], []


def _sessions(user: User) -> tuple[Any, Iterable]:
    return [{"created_at": s.created_at.isoformat(), "ip": s.ip, "user_agent": s.user_agent}
            for s in user.browser_sessions.all()], []


def _tokens(user: User) -> tuple[Any, Iterable]:
    return [{"name": t.name, "scope": t.scope, "prefix": t.prefix, "created_at": t.created_at.isoformat(),
             "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None} for t in user.api_tokens.all()], []


def _suggestions(user: User) -> tuple[Any, Iterable]:
    return [{"kind": s.kind, "object": f"{s.content_type.model}:{s.object_id}", "field": s.field,
             "proposed_value": s.proposed_value, "message": s.message, "status": s.status,
             "created_at": s.created_at.isoformat()}
            for s in Suggestion.objects.filter(author=user).select_related("content_type")], []


def _activity(user: User) -> tuple[Any, Iterable]:
    return [{"at": e.at.isoformat(), "action": e.action, "object": e.object_repr, "changes": e.changes, "ip": e.ip}
            for e in AuditEntry.objects.filter(actor=user)[:5000]], []


for _name, _exporter in [("account", _account), ("memberships", _memberships), ("sessions", _sessions),
                         ("api_tokens", _tokens), ("suggestions", _suggestions), ("activity", _activity)]:
    register(_name, _exporter)


def personal_data_export(user: User) -> bytes:
    """A zip: `donnees.json` (one key per registered exporter) and the files under `fichiers/`."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, exporter in _EXPORTERS.items():
            rows, files = exporter(user)
            data[name] = rows
            for f in files:
                try:
                    with f.open("rb") as handle:
                        archive.writestr(f"fichiers/{name}/{f.name}", handle.read())
                except (FileNotFoundError, ValueError):
                    data.setdefault("missing_files", []).append(f.name)
        archive.writestr("donnees.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
    audit_record(Action.ACCOUNT, obj=user, changes={"personal_data_export": True})
    return buffer.getvalue()


@transaction.atomic
def account_delete(user: User) -> None:
    """Erase the person, keep their contributions: the row stays (foreign keys), emptied of personal data."""
    for eraser in _ERASERS.values():
        eraser(user)
    keys = list(user.browser_sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    user.api_tokens.all().delete()
    user.memberships.all().delete()
    Suggestion.objects.filter(author=user).update(ip=None)
    AuditEntry.objects.filter(actor=user).update(ip=None, actor_label="ancien membre")
    placeholder = f"ancien-membre-{user.pk}@supprime.invalid"
    user.email = user.username = placeholder
    user.display_name = ""
    user.first_name = user.last_name = ""
    user.show_name_publicly = user.show_testimonies_publicly = False
    user.totp_enabled, user.totp_secret = False, ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    audit_record(Action.DELETE, obj=user, actor=user, object_repr="ancien membre")
