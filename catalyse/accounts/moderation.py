"""Moderation of proposals and visitors' suggestions, for any registered model.

A model joins with one call from its app's AppConfig.ready() (see actors.apps and initiatives.apps):

    moderation.register(Initiative, label=_("Initiative"), apply_change=initiative_apply_change,
                        suggestible_fields=["title", "summary", "recit"])

- Proposals: objects whose status field is PENDING (created by non-animators) wait in /moderation/;
  an animator approves (PUBLISHED), asks for changes or rejects, with a message emailed to the proposer.
- Suggestions: anyone (rate-limited) proposes a new text for one field, or reports an error; the object's
  editors (can_edit) or an animator accept (the change goes through `apply_change`, i.e. the model's own
  update service) or decline.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalyse.core import permissions
from catalyse.core.concurrency import save_with_version
from catalyse.core.middleware import client_ip
from catalyse.core.ratelimit import rate_limit

from .audit import Action, audit_record
from .models import Decision, ModerationDecision, Suggestion, SuggestionKind, SuggestionStatus
from .services import send_templated_mail


@dataclass
class Moderated:
    model: type[Model]
    label: str
    apply_change: Callable[[Model, str, str], None]
    suggestible_fields: list[str] = field(default_factory=list)
    status_field: str = "status"
    proposer_field: str = "created_by"
    preview_field: str = "description"  # Markdown shown to the moderator
    statuses: dict[str, str] = field(default_factory=lambda: {
        "pending": "pending", Decision.APPROVE: "published", Decision.REQUEST_CHANGES: "changes",
        Decision.REJECT: "rejected",
    })

    def field_label(self, name: str) -> str:
        return str(self.model._meta.get_field(name).verbose_name)

    def status_label(self, obj: Model) -> str:
        return str(getattr(obj, f"get_{self.status_field}_display")())

    def preview(self, obj: Model) -> str:
        return str(getattr(obj, self.preview_field, "") or "")


_REGISTRY: dict[type[Model], Moderated] = {}


def register(model: type[Model], **options) -> None:
    _REGISTRY[model] = Moderated(model=model, **options)


def entry_for(model: type[Model]) -> Moderated:
    try:
        return _REGISTRY[model]
    except KeyError:
        raise Http404("Ce type d'élément n'est pas modéré.") from None


def object_for(ct_id: int, object_id: str) -> tuple[Moderated, Model]:
    """The registered object for a (content type, pk) pair coming from a URL, or 404."""
    ct = ContentType.objects.filter(pk=ct_id).first()
    model = ct.model_class() if ct else None
    if model is None or model not in _REGISTRY:
        raise Http404("Introuvable.")
    obj = model._default_manager.filter(pk=object_id).first() if str(object_id).isdigit() else None
    if obj is None:
        raise Http404("Introuvable.")
    return _REGISTRY[model], obj


def pending_queue() -> list[tuple[Moderated, QuerySet]]:
    """For each moderated model, its objects waiting for a decision (oldest first)."""
    queue = []
    for entry in _REGISTRY.values():
        qs = entry.model._default_manager.filter(**{entry.status_field: entry.statuses["pending"]})
        order = "created_at" if any(f.name == "created_at" for f in entry.model._meta.fields) else "pk"
        queue.append((entry, qs.order_by(order)))
    return queue


@transaction.atomic
def moderation_decide(*, obj: Model, decision: str, message: str, moderator, request: HttpRequest | None = None
                      ) -> ModerationDecision:
    """Apply an animator's decision to a pending (or changes-requested) object and tell its proposer."""
    if not permissions.can_moderate(moderator):
        raise PermissionDenied(_("Réservé aux animateurs."))
    if decision not in Decision.values:
        raise ValidationError(_("Décision inconnue."))
    if decision != Decision.APPROVE and not message.strip():
        raise ValidationError({"message": _("Expliquez votre décision à la personne qui a proposé.")})
    entry = entry_for(type(obj))
    old = getattr(obj, entry.status_field)
    new = entry.statuses[decision]
    setattr(obj, entry.status_field, new)
    _save_status(obj, entry.status_field)
    record = ModerationDecision.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), decision=decision,
        message=message.strip(), moderator=moderator,
    )
    audit_record(Action.MODERATION, obj=obj, actor=moderator, changes={entry.status_field: [old, new]})
    proposer = getattr(obj, entry.proposer_field, None)
    if proposer is not None and proposer.email and not proposer.deleted_at:
        link = request.build_absolute_uri(obj.get_absolute_url()) if request and hasattr(obj, "get_absolute_url") \
            else ""
        send_templated_mail(proposer.email, "moderation", {
            "obj": obj, "label": entry.label, "decision": record.get_decision_display(),
            "message": record.message, "link": link,
        })
    return record


def _save_status(obj: Model, status_field: str) -> None:
    """Through the save path, so that what listens to saves hears the decision: the search outbox (an approved
    object becomes searchable, a rejected one leaves the index) and the data versions of the visitors' caches.
    A versioned model's version moves too: an editor's form opened before the decision would otherwise write
    the old status back."""
    if any(f.name == "version" for f in obj._meta.concrete_fields):
        save_with_version(obj, expected_version=None, update_fields=[status_field])
    else:
        obj.save(update_fields=[status_field])


def decisions_for(obj: Model) -> QuerySet:
    return ModerationDecision.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("moderator")


# --- Suggestions -------------------------------------------------------------------------------------

SUGGESTIONS_PER_HOUR_PER_IP = 10


def suggestion_create(*, obj: Model, kind: str, field_name: str = "", proposed_value: str = "", message: str = "",
                      author=None, request: HttpRequest | None = None) -> Suggestion:
    """Record a visitor's suggestion on a public object. A suggestion sent through the site (`request`) is
    rate-limited per IP, anonymous visitors too; one written by code (the demo, an import) is not."""
    entry = entry_for(type(obj))
    if not permissions.can_view(author, obj):
        raise Http404("Introuvable.")
    ip = client_ip(request)
    limit = None
    if request is not None:
        limit = rate_limit(f"suggest:ip:{ip or 'unknown'}", SUGGESTIONS_PER_HOUR_PER_IP, 3600)
    if limit is not None and not limit.allowed:
        raise ValidationError(ngettext("Trop de propositions envoyées : réessayez dans %(minutes)s minute.",
                                       "Trop de propositions envoyées : réessayez dans %(minutes)s minutes.",
                                       limit.retry_after_minutes)
                              % {"minutes": limit.retry_after_minutes}, code="throttled")
    current = ""
    if kind == SuggestionKind.EDIT:
        if field_name not in entry.suggestible_fields:
            raise ValidationError({"field": _("Ce champ ne peut pas faire l'objet d'une proposition.")})
        current = str(getattr(obj, field_name) or "")
        if proposed_value.strip() == current.strip():
            raise ValidationError({"proposed_value": _("Le texte proposé est identique au texte actuel.")})
    elif kind == SuggestionKind.ERROR:
        if not message.strip():
            raise ValidationError({"message": _("Décrivez l'erreur.")})
        field_name, proposed_value = "", ""
    else:
        raise ValidationError(_("Type de proposition inconnu."))
    return Suggestion.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), kind=kind, field=field_name,
        current_value=current, proposed_value=proposed_value, message=message.strip(),
        author=author if author is not None and author.is_authenticated else None, ip=ip,
    )


def suggestion_target(suggestion: Suggestion) -> Model | None:
    model = suggestion.content_type.model_class()
    return model._default_manager.filter(pk=suggestion.object_id).first() if model else None


def suggestion_diff(suggestion: Suggestion) -> list[tuple[str, str]]:
    """Line diff between the text at suggestion time and the proposal: [(" "|"-"|"+", line), ...]."""
    old = suggestion.current_value.splitlines()
    new = suggestion.proposed_value.splitlines()
    return [(line[0], line[2:]) for line in difflib.ndiff(old, new) if line[:1] in {" ", "-", "+"}]


@transaction.atomic
def suggestion_decide(*, suggestion: Suggestion, accept: bool, user) -> Suggestion:
    """Accept (apply the proposed text through the model's update service) or decline a suggestion."""
    target = suggestion_target(suggestion)
    if target is None or not permissions.can_edit(user, target):
        raise Http404("Introuvable.")
    if suggestion.status != SuggestionStatus.OPEN:
        raise ValidationError(_("Cette proposition a déjà été traitée."))
    if accept and suggestion.kind == SuggestionKind.EDIT:
        entry_for(type(target)).apply_change(target, suggestion.field, suggestion.proposed_value)
    suggestion.status = SuggestionStatus.ACCEPTED if accept else SuggestionStatus.DECLINED
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(Action.MODERATION, obj=target, actor=user,
                 changes={"suggestion": suggestion.pk, "status": suggestion.status})
    return suggestion


def suggestions_for_editor(user) -> QuerySet:
    """Open suggestions on objects `user` may edit (all of them for animators)."""
    qs = Suggestion.objects.filter(status=SuggestionStatus.OPEN).select_related("content_type")
    if permissions.can_moderate(user):
        return qs
    allowed = Q(pk__in=[])
    for entry in _REGISTRY.values():
        ids = [str(pk) for pk in _editable_ids(user, entry.model)]
        if ids:
            allowed |= Q(content_type=ContentType.objects.get_for_model(entry.model), object_id__in=ids)
    return qs.filter(allowed)


def _editable_ids(user, model: type[Model]) -> Iterable:
    # Suggestions concern few objects per person: checking each open one through can_edit keeps the
    # permission rule in one place (the model's Policy) at a cost that stays small.
    ct = ContentType.objects.get_for_model(model)
    ids = Suggestion.objects.filter(content_type=ct, status=SuggestionStatus.OPEN).values_list("object_id", flat=True)
    objs = model._default_manager.filter(pk__in=[int(i) for i in set(ids) if i.isdigit()])
    return [o.pk for o in objs if permissions.can_edit(user, o)]
