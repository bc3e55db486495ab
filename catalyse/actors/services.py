import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from catalyse.accounts.audit import Action, audit_record
from catalyse.core.concurrency import versioned_update
from catalyse.core.imports import bulk_insert
from catalyse.core.slugs import unique_slug
from catalyse.core.text import fold
from catalyse.territories.models import Territory

from .models import (
    DuplicateDismissal,
    Membership,
    MembershipRole,
    MergeRecord,
    Organisation,
    PublicationStatus,
)
from .signals import organisations_bulk_changed


def organisation_locate(org: Organisation) -> None:
    """Refresh the denormalised fields: folded name, and région, département and typology of the head office."""
    org.search_name = fold(org.name)
    office: Territory | None = org.head_office
    if office is None:
        org.region_id = org.departement_id = None
        org.typology = ""
        return
    org.region_id = office.region_id
    org.departement_id = office.departement_id
    org.typology = office.typology
    _place_at_head_office(org, office)


def _place_at_head_office(org: Organisation, office: Territory) -> None:
    """Give an organisation without a point of its own its head-office commune's centroid.

    Rule (no flag column needed): a point equal to some commune's centroid was derived, so it follows
    the head office when that changes; any other point was entered explicitly and is kept."""
    if office.latitude is None:
        return
    derived = org.latitude is None or org.longitude is None
    if not derived and (org.latitude, org.longitude) != (office.latitude, office.longitude):
        derived = Territory.objects.filter(level="commune", latitude=org.latitude, longitude=org.longitude).exists()
    if derived:
        org.latitude, org.longitude = office.latitude, office.longitude


@transaction.atomic
def organisation_create(*, created_by=None, trades=(), competences=(), territories=(), **fields) -> Organisation:
    """Create an organisation. Animators' (and imports') are published; others' go to moderation."""
    org = Organisation(**fields)
    if created_by is not None and not getattr(created_by, "is_animator", False) and "status" not in fields:
        org.status = PublicationStatus.PENDING
    org.created_by = created_by
    org.slug = org.slug or unique_slug(Organisation, org.name)
    organisation_locate(org)
    org.full_clean(exclude=["slug"])
    org.save()
    org.trades.set(trades)
    org.competences.set(competences)
    org.territories.set(territories)
    audit_record(Action.CREATE, obj=org, actor=created_by, changes={"status": org.status})
    return org


def organisation_update(org: Organisation, *, expected_version: int | None = None, trades=None, competences=None,
                        territories=None, **fields) -> Organisation:
    """Change fields; raises ConflictError if someone else saved since `expected_version`."""
    return versioned_update(org, expected_version=expected_version, fields=fields, prepare=organisation_locate,
                            relations={"trades": trades, "competences": competences, "territories": territories},
                            clean_exclude=["slug"])


@transaction.atomic
def organisation_propose(*, user, **fields) -> Organisation:
    """An organisation created from the site or the API: unless an animator created it, it waits for
    moderation and its creator becomes its editor (so that they can complete it meanwhile)."""
    org = organisation_create(created_by=user, **fields)
    if not user.is_animator:
        Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": MembershipRole.EDITOR})
        audit_record(Action.PERMISSION, obj=org, actor=user, changes={"member_added": user.email, "role": "editor"})
    return org


# Values the kept organisation takes from the removed one when it has none.
FILLED_FIELDS = ("siren", "siret", "rna", "legal_form", "address", "postal_code", "website", "email", "description",
                 "head_office", "latitude", "longitude", "logo", "joined_on")


def _links_to_organisation():
    """Every foreign key that points at Organisation, from any app, including the hidden ones of many-to-many
    tables (Organisation's own trades and territories, and other models' many-to-many to organisations).
    People's rights are not among them: `organisation_merge` decides about them on its own."""
    for rel in Organisation._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one) \
                and rel.related_model not in (DuplicateDismissal, Membership):
            yield rel.related_model, rel.field


@transaction.atomic
def organisation_merge(*, keep: Organisation, remove: Organisation, merged_by=None,
                       carried_user_ids: Iterable[int] = ()) -> MergeRecord:
    """Fold `remove` into `keep`: every link to `remove` (trades, territories, initiative partners, earlier
    merges…) moves to `keep` unless `keep` already has the same link; `keep` takes the values it lacks; `remove`
    is deleted and recorded (with a snapshot of all its values) so its address redirects to `keep`.

    Memberships are rights, not links: anyone may propose an organisation and is the editor of what they
    proposed, so carrying the duplicate's members over would make them editors of the original (and of its
    initiatives). Only the people of `carried_user_ids`, chosen by the animator, become members of `keep`;
    the others' memberships and the open invitations end with `remove`."""
    if keep.pk == remove.pk:
        raise ValueError(_("Une organisation ne peut pas être fusionnée avec elle-même."))
    memberships = list(remove.memberships.select_related("user").order_by("user__email"))
    carried_ids = set(carried_user_ids)
    if carried_ids - {m.user_id for m in memberships}:
        raise ValidationError(_("Seuls les membres de l'organisation supprimée peuvent être rattachés."))
    carried = [m for m in memberships if m.user_id in carried_ids]
    snapshot = json.loads(json.dumps(serializers.serialize("python", [remove])[0], cls=DjangoJSONEncoder))
    moved = _members_carry(keep, carried)
    remove.invitations.filter(accepted_at__isnull=True).delete()
    for model, fk in _links_to_organisation():
        if count := _links_move(model, fk, remove, keep):
            moved[model._meta.label] = count
    snapshot["links_moved"] = moved
    filled = {f: getattr(remove, f) for f in FILLED_FIELDS if not getattr(keep, f) and getattr(remove, f)}
    if remove.is_catalyst and not keep.is_catalyst:
        filled["is_catalyst"] = True
    record = MergeRecord.objects.create(kept=keep, removed_id=remove.pk, removed_slug=remove.slug,
                                        removed_name=remove.name, snapshot=snapshot, merged_by=merged_by)
    audit_record(Action.DELETE, obj=remove, actor=merged_by, changes={
        "merged_into": keep.slug,
        "members_carried": [f"{m.user.email} ({m.role})" for m in carried],
        "members_not_carried": [m.user.email for m in memberships if m.user_id not in carried_ids],
    })
    if carried:
        audit_record(Action.PERMISSION, obj=keep, actor=merged_by, changes={
            "members_carried_from": remove.slug, "members": [f"{m.user.email} ({m.role})" for m in carried]})
    remove.delete()  # first: its unique identifiers may move to `keep`
    organisation_update(keep, **filled)
    return record


def _members_carry(keep: Organisation, carried: list[Membership]) -> dict[str, int]:
    """Move the chosen memberships to `keep`; someone already a member there keeps the higher of both roles."""
    already = dict(keep.memberships.filter(user_id__in=[m.user_id for m in carried]).values_list("user_id", "pk"))
    promoted = [already[m.user_id] for m in carried if m.user_id in already and m.role == MembershipRole.EDITOR]
    Membership.objects.filter(pk__in=promoted).update(role=MembershipRole.EDITOR)
    new = [m.pk for m in carried if m.user_id not in already]
    count = Membership.objects.filter(pk__in=new).update(organisation=keep)
    return {Membership._meta.label: count} if count else {}


def _links_move(model, fk, remove: Organisation, keep: Organisation) -> int:
    rows = model._base_manager.filter(**{fk.attname: remove.pk})
    try:
        with transaction.atomic():
            return rows.update(**{fk.attname: keep.pk})
    except IntegrityError:
        count = 0
        for pk in rows.values_list("pk", flat=True):
            try:
                with transaction.atomic():
                    count += model._base_manager.filter(pk=pk).update(**{fk.attname: keep.pk})
            except IntegrityError:
                model._base_manager.filter(pk=pk).delete()  # `keep` already has this very link
        return count


@transaction.atomic
def duplicate_dismiss(*, first: Organisation, second: Organisation, dismissed_by=None) -> DuplicateDismissal:
    """Record that two organisations are not the same, so that they are no longer proposed as duplicates."""
    a, b = sorted((first, second), key=lambda o: o.pk)
    dismissal, created = DuplicateDismissal.objects.get_or_create(first=a, second=b,
                                                                  defaults={"dismissed_by": dismissed_by})
    if created:
        audit_record(Action.CREATE, obj=dismissal, actor=dismissed_by, changes={"not_duplicates": [a.slug, b.slug]})
    return dismissal


# --- Imports' batches ----------------------------------------------------------------------------------
# One statement per table and batch rather than a save per organisation (a national file has millions of
# rows): post_save never fires, so each sends `organisations_bulk_changed` for the search outbox, the caches and
# the partners' profiles, and the audit log gets one entry per batch.

Links = Mapping[str, set[int] | None]  # {"trades": ids, "territories": ids}; None leaves them as they are


@transaction.atomic
def organisations_bulk_create(rows: list[dict[str, Any]], *, links: list[Links], actor=None) -> list[int]:
    """Insert organisations (every column's value given, slug included) with their links; returns their ids."""
    if not rows:
        return []
    ids = bulk_insert(Organisation, rows, returning_ids=True)
    _links_replace(dict(zip(ids, links, strict=True)), current={})
    organisations_bulk_changed.send(sender=Organisation, ids=ids, created=True)
    audit_record(Action.CREATE, actor=actor, object_repr=_("Import d'organisations"), changes={"created": len(ids)})
    return ids


@transaction.atomic
def organisations_bulk_update(orgs: list[Organisation], fields: list[str], *, links: dict[int, Links],
                              current_links: Mapping[str, Mapping[int, set[int]]], actor=None) -> None:
    """Write `fields` of `orgs` and the links of the organisations in `links` (which they had:
    `current_links`, so that unchanged ones are not rewritten)."""
    if orgs and fields:
        Organisation.objects.bulk_update(orgs, fields)
    _links_replace(links, current=current_links)
    organisations_bulk_changed.send(sender=Organisation, ids=list(links), created=False)
    audit_record(Action.UPDATE, actor=actor, object_repr=_("Import d'organisations"),
                 changes={"updated": len(links), "fields": [f for f in fields if f not in ("version", "updated_at")]})


def _links_replace(wanted: Mapping[int, Links], *, current: Mapping[str, Mapping[int, set[int]]]) -> None:
    for name, column in (("trades", "trade_id"), ("territories", "territory_id")):
        through = getattr(Organisation, name).through
        stale, fresh = [], []
        for org_id, links in wanted.items():
            ids = links[name]
            if ids is None or ids == current.get(name, {}).get(org_id, set()):
                continue
            stale.append(org_id)
            fresh.extend(through(organisation_id=org_id, **{column: other}) for other in ids)
        if stale:
            through.objects.filter(organisation_id__any_of=stale).delete()
        if fresh:
            through.objects.bulk_create(fresh)
