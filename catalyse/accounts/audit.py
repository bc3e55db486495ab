"""The audit log: every create, update, delete, permission change and login failure.

Services call `audit_record(...)`; the person and IP default to those of the request being served
(see core.middleware.RequestContextMiddleware), so commands and imports are recorded as "système".

    before = audit_snapshot(org, fields)          # before changing fields
    ...
    audit_record("update", obj=org, changes=audit_changes(before, org))
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils import timezone

from catalyse.core.exports import neutralise_formula
from catalyse.core.middleware import client_ip, current_request

from .models import AuditEntry


class Action:
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    PERMISSION = "permission"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    MODERATION = "moderation"
    ACCOUNT = "account"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, datetime | date | Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def audit_snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` (attribute names), to compare after a change."""
    return {name: _jsonable(getattr(obj, name, None)) for name in fields}


def audit_changes(before: dict[str, Any], obj: Model) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields of `before` whose value changed on `obj`."""
    changes = {}
    for name, old in before.items():
        new = _jsonable(getattr(obj, name, None))
        if new != old:
            changes[name] = [old, new]
    return changes


def audit_record(action: str, *, obj: Model | None = None, actor=None, changes: dict | None = None,
                 ip: str | None = None, object_repr: str = "") -> AuditEntry:
    """Write one audit entry. `actor` defaults to the signed-in person of the current request."""
    request = current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_label=(actor.email if actor is not None else "système" if request is None else "anonyme")[:254],
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
        changes=changes or {},
        ip=ip or client_ip(request),
    )


def audit_update(sender, *, instance: Model, actor, before: dict[str, Any], **_kwargs) -> None:
    """The audit entry of an edit saved by catalyse.core.concurrency.versioned_update (its object_updated
    signal): the fields whose value changed, old and new."""
    audit_record(Action.UPDATE, obj=instance, actor=actor,
                 changes=audit_changes({name: _jsonable(value) for name, value in before.items()}, instance))


def audit_purge(*, days: int | None = None) -> int:
    """Delete entries older than the retention period (CATALYSE_AUDIT_RETENTION_DAYS; 0 keeps all)."""
    days = settings.CATALYSE_AUDIT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return 0
    deleted, _ = AuditEntry.objects.filter(at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted


AUDIT_CSV_COLUMNS = ["at", "action", "actor", "object_type", "object_id", "object", "changes", "ip"]


def audit_write_csv(entries: QuerySet, out) -> None:
    writer = csv.writer(out)
    writer.writerow(AUDIT_CSV_COLUMNS)
    for e in entries.select_related("content_type").iterator(chunk_size=2000):
        row = [e.at.isoformat(), e.action, e.actor_label, e.content_type.model if e.content_type else "",
               e.object_id, e.object_repr, json.dumps(e.changes, ensure_ascii=False) if e.changes else "", e.ip or ""]
        writer.writerow([neutralise_formula(str(cell)) for cell in row])
