"""The one permission module. Pages, API, search, exports, feeds and widgets all ask it.

Each app registers a `Policy` for its models (in its `permissions.py`, imported by its AppConfig.ready):

    can_view(user, obj)            -> bool   may this person see this object?
    can_edit(user, obj)            -> bool   may this person change it?
    visible_queryset(user, qs)     -> qs     the objects of `qs` this person may see (filter in the query)
    get_visible_or_404(user, qs, **lookup)   one object or Http404, never 403: a private object's
                                             existence is not revealed.
    get_editable_or_404 / get_deletable_or_404   the same for edit and delete views; 403 when the object is
                                             visible but not the person's to change.

`user` may be AnonymousUser. Animators and administrators see and edit everything.

Pages for the staff (imports, duplicates, moderation, audit log) are gated by `animator_required` or
`admin_required`: visitors are sent to sign in, signed-in people without the role get 403 (the page's existence
is no secret; unlike a private object's).

Roles (see docs/permissions.md): visitor, member of the network, organisation member/editor, initiative
partner and evaluation lead (per object: a Policy's `object_roles(user, obj)` hook derives them), animator,
administrator. `roles_of(user, obj)` lists them, for pages that show "you are … here".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Policy:
    """Default: everything visible, only animators edit. Apps subclass and override."""

    def visible_q(self, user) -> Any:
        """A Q object for the rows `user` may see, or None for all rows."""
        return None

    def can_view(self, user, obj) -> bool:
        q = self.visible_q(user)
        return q is None or type(obj)._default_manager.filter(q, pk=obj.pk).exists()

    def can_edit(self, user, obj) -> bool:
        return is_animator(user)

    def can_delete(self, user, obj) -> bool:
        return self.can_edit(user, obj)

    def object_roles(self, user, obj) -> set[str]:
        """The per-object roles `user` holds on `obj` (e.g. {EDITOR}, {PARTNER, EVALUATION_LEAD}).

        The hook for roles derived from the model's own data. Roles another app knows (EVALUATION_LEAD on an
        initiative, from the evaluation app) join through `register_object_roles`."""
        return set()


VISITOR = "visitor"
MEMBER = "member"
ORGANISATION_MEMBER = "organisation_member"
EDITOR = "editor"
PARTNER = "partner"
EVALUATION_LEAD = "evaluation_lead"
ANIMATOR = "animator"
ADMIN = "admin"

_POLICIES: dict[type[Model], Policy] = {}
_ROLE_PROVIDERS: dict[type[Model], list[Callable[[Any, Model], set[str]]]] = {}


def register(model: type[Model], policy: Policy) -> None:
    _POLICIES[model] = policy


def register_object_roles(model: type[Model], provider: Callable[[Any, Model], set[str]]) -> None:
    """Roles on `model`'s objects that another app derives from its own data (the evaluation app names the
    initiative's evaluation leads): the model's app cannot import the app that knows them."""
    if provider not in _ROLE_PROVIDERS.setdefault(model, []):
        _ROLE_PROVIDERS[model].append(provider)


def object_roles(user, obj: Model) -> set[str]:
    """The per-object roles of `user` on `obj`: its policy's hook plus the roles other apps register."""
    roles = policy_for(type(obj)).object_roles(user, obj)
    for provider in _ROLE_PROVIDERS.get(type(obj), ()):
        roles = roles | provider(user, obj)
    return roles


def policy_for(model: type[Model]) -> Policy:
    try:
        return _POLICIES[model]
    except KeyError:
        raise LookupError(f"No permission policy registered for {model.__name__}") from None


def is_animator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_animator)


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_admin)


def roles_of(user, obj: Model | None = None) -> set[str]:
    """Network-wide roles of `user`, plus their roles on `obj` when given."""
    if not is_member(user):
        return {VISITOR}
    roles = {MEMBER}
    if is_animator(user):
        roles.add(ANIMATOR)
    if is_admin(user):
        roles.add(ADMIN)
    if obj is not None:
        roles |= object_roles(user, obj)
    return roles


def can_view(user, obj: Model) -> bool:
    return is_animator(user) or policy_for(type(obj)).can_view(user, obj)


def can_edit(user, obj: Model) -> bool:
    return is_animator(user) or (is_member(user) and policy_for(type(obj)).can_edit(user, obj))


def can_delete(user, obj: Model) -> bool:
    return is_animator(user) or (is_member(user) and policy_for(type(obj)).can_delete(user, obj))


def can_moderate(user) -> bool:
    """Moderation (publishing proposals, deciding suggestions on any object) is the animators' job."""
    return is_animator(user)


def visible_queryset(user, qs: QuerySet) -> QuerySet:
    if is_animator(user):
        return qs
    q = policy_for(qs.model).visible_q(user)
    return qs if q is None else qs.filter(q)


def get_visible_or_404(user, qs: QuerySet, **lookup) -> Model:
    obj = visible_queryset(user, qs).filter(**lookup).first()
    if obj is None:
        raise Http404("Introuvable.")
    return obj


def get_editable_or_404(user, qs: QuerySet, **lookup) -> Model:
    """For edit views: invisible → 404 (existence not revealed); visible but not editable → 403."""
    obj = get_visible_or_404(user, qs, **lookup)
    if not can_edit(user, obj):
        raise PermissionDenied(gettext("Vous ne pouvez pas modifier cet élément."))
    return obj


def get_deletable_or_404(user, qs: QuerySet, **lookup) -> Model:
    """For delete views: invisible → 404 (existence not revealed); visible but not deletable → 403."""
    obj = get_visible_or_404(user, qs, **lookup)
    if not can_delete(user, obj):
        raise PermissionDenied(gettext("Vous ne pouvez pas supprimer cet élément."))
    return obj


def _staff_gate(allowed: Callable[[Any], bool], refusal: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)
        return wrapper
    return decorator


animator_required = _staff_gate(is_animator, _("Réservé à l'équipe d'animation du réseau."))
admin_required = _staff_gate(is_admin, _("Réservé aux administrateurs."))
