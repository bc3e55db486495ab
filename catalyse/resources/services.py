"""Writes of the resource library and the toolbox: checked, audited; the search index and visitors' caches
follow through the models' signals (catalyse.search, signals.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from catalyse.accounts.audit import Action, audit_changes, audit_record, audit_snapshot
from catalyse.actors.models import Profile
from catalyse.core.concurrency import versioned_update
from catalyse.core.slugs import unique_slug
from catalyse.core.uploads import IMAGE_KINDS, check_document, clean_image
from catalyse.territories.models import Level

from .models import Collection, Resource, Tool

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
SCALARS = ("title", "resource_type", "summary", "published_on", "authors_text", "licence", "url", "visibility", "tags")
RELATIONS = ("author_organisations", "themes", "territories", "collections", "initiatives", "events")


def _person(user):
    return user if getattr(user, "is_authenticated", False) else None


def _checked_file(file):
    """The uploaded document, checked from its bytes; an image re-encoded (no GPS metadata, nothing appended)."""
    if check_document(file, max_bytes=DOCUMENT_MAX_BYTES) in IMAGE_KINDS:
        return clean_image(file, max_bytes=DOCUMENT_MAX_BYTES)
    return file


def _write(resource: Resource, fields: dict, file) -> None:
    relations = {name: fields.pop(name) for name in RELATIONS if name in fields}
    unknown = set(fields) - set(SCALARS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(resource, name, value)
    if file:
        resource.file = _checked_file(file)
    if not resource.file and not resource.url:
        raise ValidationError({"url": "Indiquez l'adresse de la ressource ou déposez son fichier."})
    resource.full_clean(exclude=["owner_organisation", "owner_initiative", "owner_event", "file"])
    resource.save()
    for name, values in relations.items():
        getattr(resource, name).set(values)


@transaction.atomic
def resource_create(
    *, author, owner_organisation=None, owner_initiative=None, owner_event=None, file=None, **fields
) -> Resource:
    """A resource of an organisation, an initiative, an event or (none) the network; the caller checked that
    `author` may publish for that owner (permissions.can_publish_for_*)."""
    if sum(owner is not None for owner in (owner_organisation, owner_initiative, owner_event)) > 1:
        raise ValidationError("Une ressource a un seul propriétaire.")
    resource = Resource(
        owner_organisation=owner_organisation,
        owner_initiative=owner_initiative,
        owner_event=owner_event,
        created_by=_person(author),
    )
    _write(resource, fields, file)
    audit_record(
        Action.CREATE,
        obj=resource,
        actor=_person(author),
        changes={"title": resource.title, "owner": str(resource.owner or "réseau"), "visibility": resource.visibility},
    )
    return resource


@transaction.atomic
def resource_update(resource: Resource, *, author, file=None, **fields) -> Resource:
    before = audit_snapshot(resource, SCALARS)
    _write(resource, fields, file)
    audit_record(Action.UPDATE, obj=resource, actor=_person(author), changes=audit_changes(before, resource))
    return resource


@transaction.atomic
def resource_delete(resource: Resource, *, author) -> None:
    audit_record(Action.DELETE, obj=resource, actor=_person(author), changes={"title": resource.title})
    resource.delete()


@transaction.atomic
def collection_create(*, name: str, description: str = "", slug: str = "", author=None) -> Collection:
    collection = Collection(name=name, description=description, slug=slug or unique_slug(Collection, name))
    collection.full_clean()
    collection.save()
    audit_record(Action.CREATE, obj=collection, actor=_person(author), changes={"name": name})
    return collection


@transaction.atomic
def collection_update(collection: Collection, *, name: str, description: str, author) -> Collection:
    """Rename or describe a collection; its address (slug), which the search index files resources under,
    stays."""
    before = audit_snapshot(collection, ("name", "description"))
    collection.name, collection.description = name, description
    collection.full_clean()
    collection.save()
    audit_record(Action.UPDATE, obj=collection, actor=_person(author), changes=audit_changes(before, collection))
    return collection


TOOL_FIELDS = ("name", "family", "summary", "url", "provider", "provider_text", "profiles", "levels")


def _tool_known_codes(tool: Tool) -> None:
    unknown_profiles = set(tool.profiles) - set(Profile.values)
    unknown_levels = set(tool.levels) - set(Level.values)
    if unknown_profiles or unknown_levels:
        raise ValidationError(f"Profils ou échelons inconnus : {', '.join(sorted(unknown_profiles | unknown_levels))}.")


@transaction.atomic
def tool_create(*, name: str, family: str, slug: str = "", author=None, **fields) -> Tool:
    unknown = set(fields) - set(TOOL_FIELDS)
    if unknown:
        raise TypeError(f"unknown tool fields: {sorted(unknown)}")
    tool = Tool(name=name, family=family, slug=slug or unique_slug(Tool, name), **fields)
    _tool_known_codes(tool)
    tool.full_clean()
    tool.save()
    audit_record(Action.CREATE, obj=tool, actor=_person(author), changes={"name": name, "family": family})
    return tool


def tool_update(tool: Tool, *, author=None, expected_version: int | None = None, **fields) -> Tool:
    """Change a service of the toolbox (its address, the slug, stays); raises ConflictError if someone saved it
    since `expected_version` (None skips the check). Audited and indexed through versioned_update."""
    unknown = set(fields) - set(TOOL_FIELDS)
    if unknown:
        raise TypeError(f"unknown tool fields: {sorted(unknown)}")
    return versioned_update(tool, expected_version=expected_version, fields=fields, actor=_person(author),
                            prepare=_tool_known_codes)


@transaction.atomic
def tool_delete(tool: Tool, *, author) -> None:
    """Remove a service from the toolbox; the search index drops it through the model's signals."""
    audit_record(Action.DELETE, obj=tool, actor=_person(author), changes={"name": tool.name, "family": tool.family})
    tool.delete()
