"""Publication with co-validation, for every item of part 2 (models inheriting `models.CoValidated`).

- An item is private to the insiders of its initiative (partners, creator, evaluation leads; animators) until
  it is published.
- A contributor of the initiative (`permissions.can_contribute`) or a person of a concerned organisation asks
  for publication (`publication_request`). An item that concerns no partner is then published at once.
- An item that concerns partner organisations is published only once **each** of them approves
  (`publication_approve`). The approval belongs to the people of that organisation: any member of it, whatever
  their role in the directory — the people who represent a partner in an alliance are rarely the editors of its
  directory page, and membership is what already makes them insiders. Asking as a person of a concerned
  organisation counts as that organisation's approval.
- Animators do not bypass it silently: they may approve for a partner only with a stated reason
  (`on_behalf_reason`), kept on the approval, shown with the item and written to the audit log.
- Anyone who may ask may withdraw (`publication_withdraw`): the item is private again and approvals are
  forgotten; a partner refuses the same way. When an item's content changes, its service calls
  `publication_reset`: approvals given for the former content are forgotten and the item waits again.

Reads: `visible(user, qs)` (the registered policy, a filter in the query), `awaiting_approval(user, qs)`,
`status(item)`. Register each model with `register(Model)` (or `register(Model, initiative_path=...)`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from catalyse.accounts.audit import Action, audit_record
from catalyse.actors.models import Membership, Organisation
from catalyse.core import permissions

from .models import CoValidated, PublicationApproval
from .permissions import CoValidatedPolicy, can_contribute


def register(model: type[CoValidated], initiative_path: str = "initiative") -> None:
    """Join `model` to the permission module with the co-validation policy (from a module `ready()` imports)."""
    permissions.register(model, CoValidatedPolicy(initiative_path))


# Reads -------------------------------------------------------------------------------------------------------------

class State:
    PRIVATE = "private"
    REQUESTED = "requested"  # asked, waiting for a concerned partner's approval
    PUBLISHED = "published"


@dataclass
class PublicationStatus:
    state: str
    approvals: list[PublicationApproval] = field(default_factory=list)
    waiting_for: list[Organisation] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "approved_by": [{"organisation": a.organisation.slug, "on_behalf_reason": a.on_behalf_reason or None,
                             "approved_at": a.approved_at.isoformat()} for a in self.approvals],
            "waiting_for": [org.slug for org in self.waiting_for],
        }


def _approvals(item: CoValidated) -> QuerySet[PublicationApproval]:
    return PublicationApproval.objects.filter(content_type=ContentType.objects.get_for_model(item),
                                              object_id=item.pk).select_related("organisation")


def status(item: CoValidated) -> PublicationStatus:
    approvals = list(_approvals(item))
    approved = {a.organisation_id for a in approvals}
    waiting = [org for org in item.concerned_organisations() if org.pk not in approved]
    if item.is_public:
        state = State.PUBLISHED
    elif item.publication_requested_at is not None:
        state = State.REQUESTED
    else:
        state = State.PRIVATE
    return PublicationStatus(state, approvals, waiting)


def visible(user, qs: QuerySet) -> QuerySet:
    return permissions.visible_queryset(user, qs)


def published(qs: QuerySet) -> QuerySet:
    return qs.filter(is_public=True)


def awaiting_approval(user, qs: QuerySet) -> QuerySet:
    """Items of `qs` (a model with `concerns`) waiting for the approval of one of `user`'s organisations."""
    if not permissions.is_member(user):
        return qs.none()
    content_type = ContentType.objects.get_for_model(qs.model)
    approved = PublicationApproval.objects.filter(content_type=content_type, object_id=OuterRef("pk"),
                                                  organisation=OuterRef("concerns"))
    return qs.filter(publication_requested_at__isnull=False, is_public=False,
                     concerns__in=Membership.objects.filter(user=user).values("organisation_id")
                     ).exclude(Exists(approved))


def actions_for(user, item: CoValidated, current: PublicationStatus) -> set[str]:
    """What `user` may do with `item`'s publication now: request, approve, approve_on_behalf, withdraw."""
    actions = set()
    may_ask = _may_ask(user, item)
    if may_ask and current.state == State.PRIVATE:
        actions.add("request")
    if current.state == State.REQUESTED and current.waiting_for:
        if {org.pk for org in current.waiting_for} & _organisations_of(user):
            actions.add("approve")
        elif permissions.is_animator(user):
            actions.add("approve_on_behalf")
    if may_ask and current.state != State.PRIVATE:
        actions.add("withdraw")
    return actions


# Writes ------------------------------------------------------------------------------------------------------------

def _organisations_of(user) -> set[int]:
    if not permissions.is_member(user):
        return set()
    return set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def _may_ask(user, item: CoValidated) -> bool:
    concerned = {org.pk for org in item.concerned_organisations()}
    return can_contribute(user, item.publication_initiative()) or bool(concerned & _organisations_of(user))


def _settle(item: CoValidated) -> None:
    approved = set(_approvals(item).values_list("organisation_id", flat=True))
    public = item.publication_requested_at is not None and all(
        org.pk in approved for org in item.concerned_organisations())
    if public != item.is_public:
        item.is_public = public
        type(item).objects.filter(pk=item.pk).update(is_public=public)


def _approve_as_member(user, item: CoValidated) -> None:
    mine = _organisations_of(user)
    content_type = ContentType.objects.get_for_model(item)
    for org in item.concerned_organisations():
        if org.pk in mine:
            PublicationApproval.objects.get_or_create(content_type=content_type, object_id=item.pk,
                                                      organisation=org, defaults={"approved_by": user})


@transaction.atomic
def publication_request(user, item: CoValidated) -> PublicationStatus:
    """Ask for `item` to be published. Published at once when it concerns no partner, or only partners of the
    asking person; otherwise it waits for the others' approval."""
    if not _may_ask(user, item):
        raise PermissionDenied(_("Vous ne pouvez pas demander la publication de cet élément."))
    if item.publication_requested_at is None:
        item.publication_requested_at = timezone.now()
        item.publication_requested_by = user if permissions.is_member(user) else None
        type(item).objects.filter(pk=item.pk).update(publication_requested_at=item.publication_requested_at,
                                                     publication_requested_by=item.publication_requested_by)
    _approve_as_member(user, item)
    _settle(item)
    audit_record(Action.UPDATE, obj=item, actor=user if permissions.is_member(user) else None,
                 changes={"publication": ["private", "requested"]})
    return status(item)


@transaction.atomic
def publication_approve(user, item: CoValidated, *, on_behalf_reason: str = "") -> PublicationStatus:
    """A concerned partner's consent, given by a person of that organisation. An animator who is not one of
    them approves for the waiting partners only with `on_behalf_reason`, kept and audited."""
    if item.publication_requested_at is None:
        raise ValidationError(_("Aucune demande de publication n'est en cours pour cet élément."))
    waiting = status(item).waiting_for
    mine = _organisations_of(user)
    if any(org.pk in mine for org in waiting):
        _approve_as_member(user, item)
    elif waiting and permissions.is_animator(user):
        reason = on_behalf_reason.strip()
        if not reason:
            raise ValidationError({"on_behalf_reason": _(
                "L'accord doit venir du partenaire concerné ; pour le donner à sa place, indiquez pourquoi.")})
        content_type = ContentType.objects.get_for_model(item)
        for org in waiting:
            PublicationApproval.objects.create(content_type=content_type, object_id=item.pk, organisation=org,
                                               approved_by=user, on_behalf_reason=reason)
        audit_record(Action.MODERATION, obj=item, actor=user,
                     changes={"approved_on_behalf_of": [org.name for org in waiting], "reason": reason})
    elif waiting:
        raise PermissionDenied(_("Seules les personnes du partenaire concerné peuvent donner son accord."))
    _settle(item)
    audit_record(Action.UPDATE, obj=item, actor=user, changes={"publication": ["requested", status(item).state]})
    return status(item)


@transaction.atomic
def publication_withdraw(user, item: CoValidated) -> PublicationStatus:
    """Back to private (a partner refusing does the same): the request and every approval are forgotten."""
    if not _may_ask(user, item):
        raise PermissionDenied(_("Vous ne pouvez pas retirer la publication de cet élément."))
    _approvals(item).delete()
    item.publication_requested_at = None
    item.publication_requested_by = None
    type(item).objects.filter(pk=item.pk).update(publication_requested_at=None, publication_requested_by=None)
    _settle(item)
    audit_record(Action.UPDATE, obj=item, actor=user if permissions.is_member(user) else None,
                 changes={"publication": [None, "private"]})
    return status(item)


def publication_reset(item: CoValidated, actor=None) -> None:
    """Call after changing an item's content: approvals given for the former content no longer hold (the
    request stays; the changing person's own organisations approve again by changing it)."""
    _approvals(item).delete()
    if actor is not None and item.publication_requested_at is not None:
        _approve_as_member(actor, item)
    _settle(item)
