"""Accounts: sign-up, sign-in (throttled, optional TOTP), sessions, invitations, API tokens, profile."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalyse.actors.models import Membership, Organisation
from catalyse.core.middleware import client_ip
from catalyse.core.ratelimit import rate_limit, rate_limit_reset

from .audit import Action, audit_changes, audit_record, audit_snapshot
from .models import ApiToken, Invitation, TokenScope, User, UserSession

VERIFY_SALT = "catalyse.accounts.verify-email"
VERIFY_MAX_AGE = 3 * 24 * 3600
INVITATION_DAYS = 14
TOTP_ISSUER = "Catalyse"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def send_templated_mail(to: str, template: str, context: dict) -> None:
    """Send `accounts/email/<template>.txt`: its first line is the subject."""
    subject, _, body = render_to_string(f"accounts/email/{template}.txt", context).strip().partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", None, [to])


def absolute(request: HttpRequest | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# --- Sign-up and email verification -------------------------------------------------------------------


def account_mail_throttle(email: str, *, request: HttpRequest | None = None) -> None:
    """Count one request that may email `email` (sign-up, new confirmation link, password reset), per address
    and per IP, and raise ValidationError(code="throttled") beyond the limits. Counted whether or not the
    address has an account, so that the limit itself tells nothing."""
    period = _setting("CATALYSE_ACCOUNT_MAIL_PERIOD_SECONDS", 3600)
    keys = [(f"account-mail:address:{_hash(normalise_email(email))}",
             _setting("CATALYSE_ACCOUNT_MAIL_PER_ADDRESS", 3))]
    if ip := client_ip(request):
        keys.append((f"account-mail:ip:{ip}", _setting("CATALYSE_ACCOUNT_MAIL_PER_IP", 30)))
    states = [rate_limit(key, limit, period) for key, limit in keys]
    if refused := [state for state in states if not state.allowed]:
        minutes = max(state.retry_after_minutes for state in refused)
        raise ValidationError(
            ngettext("Trop de demandes pour le moment : réessayez dans %(minutes)s minute.",
                     "Trop de demandes pour le moment : réessayez dans %(minutes)s minutes.", minutes)
            % {"minutes": minutes}, code="throttled")


def user_signup(*, email: str, password: str, display_name: str = "", request: HttpRequest | None = None
                ) -> User | None:
    """Create an unconfirmed account and send its confirmation link. For an address that already has an
    account, nothing is created and its owner is emailed instead: the page answers the same either way
    (no account enumeration). None in that case."""
    email = normalise_email(email)
    account_mail_throttle(email, request=request)
    user = User(email=email, username=email, display_name=display_name.strip())
    user.set_password(password)  # also for a known address: the answer takes as long
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if not existing.is_active:
            return None
        if not existing.email_verified:
            verification_send(existing, request=request)
        else:
            send_templated_mail(existing.email, "account_exists", {
                "login_link": absolute(request, reverse("accounts:login")),
                "reset_link": absolute(request, reverse("accounts:password_reset"))})
        return None
    with transaction.atomic():
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(Action.CREATE, obj=user, actor=user)
    verification_send(user, request=request)
    return user


def verification_resend(*, email: str, request: HttpRequest | None = None) -> None:
    """Send a new confirmation link if `email` belongs to an unconfirmed account; silent otherwise."""
    account_mail_throttle(email, request=request)
    user = User.objects.filter(email=normalise_email(email), email_verified=False, is_active=True).first()
    if user is not None:
        verification_send(user, request=request)


def verification_send(user: User, *, request: HttpRequest | None = None) -> None:
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)
    link = absolute(request, reverse("accounts:verify", args=[token]))
    send_templated_mail(user.email, "verify", {"user": user, "link": link})


def user_verify_email(token: str) -> User:
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(_("Lien de vérification invalide ou expiré.")) from exc
    user = User.objects.filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    if user is None:
        raise ValidationError(_("Lien de vérification invalide ou expiré."))
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        audit_record(Action.UPDATE, obj=user, actor=user, changes={"email_verified": [False, True]})
    return user


# --- Sign-in ------------------------------------------------------------------------------------------


class LoginError(Exception):
    """Sign-in refused; `retry_after` (seconds) is set when the refusal is a lockout."""

    def __init__(self, message: str, retry_after: int = 0):
        super().__init__(message)
        self.retry_after = retry_after


def _login_limits(email: str, ip: str | None) -> list[tuple[str, int]]:
    limits = [(f"login:account:{_hash(email)}", _setting("CATALYSE_LOGIN_FAILURES_PER_ACCOUNT", 5))]
    if ip:
        limits.append((f"login:ip:{ip}", _setting("CATALYSE_LOGIN_FAILURES_PER_IP", 20)))
    return limits


def credentials_check(*, email: str, password: str, request: HttpRequest | None = None) -> User:
    """The person with these credentials, or LoginError. Failures are counted per account and per IP
    (a lockout after too many within CATALYSE_LOGIN_LOCKOUT_SECONDS) and written to the audit log."""
    email = normalise_email(email)
    ip = client_ip(request)
    period = _setting("CATALYSE_LOGIN_LOCKOUT_SECONDS", 900)
    limits = _login_limits(email, ip)
    for key, limit in limits:
        state = rate_limit(key, limit, period, peek=True)
        if not state.allowed:
            audit_record(Action.LOGIN_FAILED, actor=None, object_repr=email, changes={"reason": "locked"}, ip=ip)
            raise LoginError(
                ngettext("Trop de tentatives de connexion. Par sécurité, réessayez dans %(minutes)s minute.",
                         "Trop de tentatives de connexion. Par sécurité, réessayez dans %(minutes)s minutes.",
                         state.retry_after_minutes)
                % {"minutes": state.retry_after_minutes},
                retry_after=state.retry_after,
            )
    user = authenticate(request, username=email, password=password)
    if user is None:
        for key, limit in limits:
            rate_limit(key, limit, period)
        audit_record(Action.LOGIN_FAILED, actor=None, object_repr=email, changes={"reason": "credentials"}, ip=ip)
        raise LoginError(_("Adresse électronique ou mot de passe incorrect."))
    if not user.email_verified:
        raise LoginError(_("Confirmez d'abord votre adresse : un lien vous a été envoyé par courriel."))
    rate_limit_reset(limits[0][0], period)
    return user


SECOND_FACTOR_PASSED = "accounts:second-factor-passed"


def session_login(request: HttpRequest, user: User, *, second_factor: bool = False) -> None:
    """Open a session for `user` and remember it so they can list and revoke it. `second_factor` marks a
    session opened with a code: the admin asks for it from accounts that have one."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if second_factor:
        request.session[SECOND_FACTOR_PASSED] = True
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "ip": client_ip(request),
                  "user_agent": request.headers.get("User-Agent", "")[:300]},
    )
    audit_record(Action.LOGIN, obj=user, actor=user)


def second_factor_satisfied(request: HttpRequest) -> bool:
    """Whether the signed-in person passed their second factor in this session, or has none."""
    return not request.user.totp_enabled or bool(request.session.get(SECOND_FACTOR_PASSED))


def session_forget(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def sessions_of(user: User):
    """The person's open sessions (rows whose Django session expired are dropped on the way)."""
    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user=user).exclude(session_key__in=alive).delete()
    return UserSession.objects.filter(user=user)


def session_revoke(user: User, session_id: int) -> None:
    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        return
    Session.objects.filter(session_key=row.session_key).delete()
    row.delete()
    audit_record(Action.ACCOUNT, obj=user, changes={"session_revoked": row.session_key[:6]})


# --- Two-factor authentication (TOTP) ----------------------------------------------------------------


def totp_begin(user: User) -> str:
    """Start enrolment: a fresh secret, not enforced until confirmed with a first code."""
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled = False
    user.save(update_fields=["totp_secret", "totp_enabled"])
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def totp_verify(user: User, code: str) -> bool:
    """Accept a code from the current or an adjacent 30 s step, once only (a seen code cannot be replayed)."""
    if not user.totp_secret:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    code = (code or "").replace(" ", "")
    now = timezone.now().timestamp()
    for drift in (0, -1, 1):
        step = int(now // totp.interval) + drift
        if step > user.totp_last_step and secrets.compare_digest(totp.at(step * totp.interval), code):
            User.objects.filter(pk=user.pk).update(totp_last_step=step)
            user.totp_last_step = step
            return True
    return False


def _code_limits(user: User) -> list[tuple[str, int, int]]:
    """(key, limit, period) of the wrong-code counters: per account, whatever the session or sign-in, so a
    fresh password sign-in never buys another guess; the daily cap bounds a slow guesser."""
    return [
        (f"totp:account:{user.pk}", _setting("CATALYSE_CODE_FAILURES_PER_ACCOUNT", 5),
         _setting("CATALYSE_LOGIN_LOCKOUT_SECONDS", 900)),
        (f"totp:account-day:{user.pk}", _setting("CATALYSE_CODE_FAILURES_PER_DAY", 20), 24 * 3600),
    ]


def second_factor_check(user: User, code: str, *, request: HttpRequest | None = None) -> None:
    """Accept the sign-in code or raise LoginError (`retry_after` set when the account is locked).

    The limit is checked before the code, so a locked account answers the same to right and wrong codes;
    failures are audited and the owner is emailed when they reach the limit (someone holds the password)."""
    ip = client_ip(request)
    limits = _code_limits(user)
    for key, limit, period in limits:
        state = rate_limit(key, limit, period, peek=True)
        if not state.allowed:
            audit_record(Action.LOGIN_FAILED, obj=user, actor=None, changes={"reason": "code_locked"}, ip=ip)
            raise LoginError(ngettext("Trop de codes incorrects : réessayez dans %(minutes)s minute.",
                                      "Trop de codes incorrects : réessayez dans %(minutes)s minutes.",
                                      state.retry_after_minutes)
                             % {"minutes": state.retry_after_minutes}, retry_after=state.retry_after)
    if totp_verify(user, code):
        return
    counts = [rate_limit(key, limit, period) for key, limit, period in limits]
    audit_record(Action.LOGIN_FAILED, obj=user, actor=None, changes={"reason": "code"}, ip=ip)
    if counts[0].count == limits[0][1]:  # once per window, not once per further attempt
        send_templated_mail(user.email, "code_failures", {
            "user": user, "failures": counts[0].count, "ip": ip or "?",
            "reset_link": absolute(request, reverse("accounts:password_reset"))})
    raise LoginError(_("Code incorrect."))


def identity_confirm(user: User, *, password: str = "", code: str = "", request: HttpRequest | None = None) -> None:
    """Check that the person at the keyboard is `user` before a sensitive change (second factor off, write token,
    new address, deletion): the open session alone is not enough. Their password, counted like a sign-in (same
    lockout, same audit), or a second-factor code, counted like a sign-in code. ValidationError otherwise,
    with code "throttled" during a lockout."""
    try:
        if code and user.totp_enabled:
            second_factor_check(user, code, request=request)
        elif not password:
            raise ValidationError(_("Confirmez avec votre mot de passe ou un code de double authentification.")
                                  if user.totp_enabled else _("Confirmez avec votre mot de passe."), code="required")
        else:
            credentials_check(email=user.email, password=password, request=request)
    except LoginError as exc:
        if exc.retry_after:
            raise ValidationError(str(exc), code="throttled") from exc
        raise ValidationError(_("Code incorrect.") if code and user.totp_enabled else _("Mot de passe incorrect."),
                              code="invalid") from exc


def totp_confirm(user: User, code: str) -> None:
    if not totp_verify(user, code):
        raise ValidationError(_("Code incorrect."))
    user.totp_enabled = True
    user.save(update_fields=["totp_enabled"])
    audit_record(Action.ACCOUNT, obj=user, changes={"totp_enabled": [False, True]})


def totp_disable(user: User, *, by: User | None = None) -> None:
    """Turn the second factor off: by the person, or by an administrator (`by`) for someone who lost their
    device, in which case the person is told by email (a reset they did not ask for must not go unnoticed)."""
    was_enabled = user.totp_enabled
    user.totp_enabled = False
    user.totp_secret = ""
    user.save(update_fields=["totp_enabled", "totp_secret"])
    audit_record(Action.ACCOUNT, obj=user, actor=by, changes={"totp_enabled": [was_enabled, False]})
    if by is not None and by.pk != user.pk:
        send_templated_mail(user.email, "second_factor_reset", {"user": user})


# --- Profile -----------------------------------------------------------------------------------------

PROFILE_FIELDS = ["display_name", "show_name_publicly", "show_testimonies_publicly"]


def profile_update(user: User, **fields) -> User:
    before = audit_snapshot(user, PROFILE_FIELDS)
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"not a profile field: {name}")
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    audit_record(Action.UPDATE, obj=user, changes=audit_changes(before, user))
    return user


# --- Change of address -------------------------------------------------------------------------------

EMAIL_CHANGE_SALT = "catalyse.accounts.email-change"
EMAIL_CHANGE_MAX_AGE = 24 * 3600


def email_change_request(user: User, *, new_email: str, request: HttpRequest | None = None) -> None:
    """Send a link to the new address; the address changes only when it is followed (the person owns it).
    Nothing is sent to an address that already has an account, with the same answer (no enumeration)."""
    new_email = normalise_email(new_email)
    account_mail_throttle(new_email, request=request)
    if new_email == user.email or User.objects.filter(email__iexact=new_email).exists():
        return
    token = signing.dumps({"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)
    send_templated_mail(new_email, "email_change", {
        "user": user, "link": absolute(request, reverse("accounts:email_change_confirm", args=[token]))})


@transaction.atomic
def user_email_change(token: str) -> User:
    """Follow a change-of-address link: the account's address becomes the new one; the old address is told."""
    invalid = ValidationError(_("Lien de changement d'adresse invalide ou expiré."))
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature as exc:
        raise invalid from exc
    user = User.objects.select_for_update().filter(pk=data.get("u"), email=data.get("old"), is_active=True).first()
    if user is None or User.objects.filter(email__iexact=data["new"]).exists():
        raise invalid
    old = user.email
    user.email = user.username = data["new"]
    user.email_verified = True  # following the link proved it
    try:
        user.save(update_fields=["email", "username", "email_verified"])
    except IntegrityError as exc:  # taken in between by a sign-up
        raise invalid from exc
    audit_record(Action.ACCOUNT, obj=user, actor=user, changes={"email": [old, user.email]})
    send_templated_mail(old, "email_changed", {"user": user, "new_email": user.email})
    return user


# --- Invitations and memberships ---------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, role: str, invited_by: User,
                      request: HttpRequest | None = None) -> Invitation:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation, email=normalise_email(email), role=role, token_hash=_hash(token),
        invited_by=invited_by, expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit_record(Action.PERMISSION, obj=organisation, changes={"invited": invitation.email, "role": role})
    link = absolute(request, reverse("accounts:invitation_accept", args=[token]))
    send_templated_mail(invitation.email, "invitation",
                        {"organisation": organisation, "link": link, "invited_by": invited_by, "role": role})
    return invitation


def invitation_for_token(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=_hash(token or "")).first()
    if invitation is None or invitation.accepted_at or invitation.expires_at < timezone.now():
        raise ValidationError(_("Invitation invalide, expirée ou déjà utilisée."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Any signed-in person holding the link may accept: the link was sent to the invited address."""
    invitation = invitation_for_token(token)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == "editor" and membership.role != "editor":
        membership.role = "editor"
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(Action.PERMISSION, obj=invitation.organisation,
                 changes={"member_added": user.email, "role": membership.role})
    return membership


@transaction.atomic
def membership_set_role(membership: Membership, role: str) -> Membership:
    old = membership.role
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    audit_record(Action.PERMISSION, obj=membership.organisation,
                 changes={"member": membership.user.email, "role": [old, role]})
    return membership


@transaction.atomic
def membership_remove(membership: Membership) -> None:
    audit_record(Action.PERMISSION, obj=membership.organisation, changes={"member_removed": membership.user.email})
    membership.delete()


# --- API tokens --------------------------------------------------------------------------------------

TOKEN_PREFIX = "cat_"  # noqa: S105  (a marker that makes leaked keys easy to scan for, not a secret)


def api_token_create(*, user: User, name: str, scope: str = TokenScope.READ,
                     expires_at=None) -> tuple[ApiToken, str]:
    """A new token and its key. The key is returned once and never stored (only its SHA-256)."""
    if scope not in TokenScope.values:
        raise ValidationError(_("Portée inconnue."))
    if scope == TokenScope.WRITE and not user.email_verified:
        raise ValidationError(_("Adresse non vérifiée."))
    for _attempt in range(3):
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(user=user, name=(name or "API")[:100], scope=scope,
                                                prefix=key[:10], key_hash=_hash(key), expires_at=expires_at)
            break
        except IntegrityError:  # a 256-bit collision: practically never, but never a 500 either
            continue
    audit_record(Action.PERMISSION, obj=user, actor=user, changes={"api_token_created": token.prefix, "scope": scope})
    return token, key


def api_token_authenticate(key: str) -> ApiToken | None:
    """The live token for this key (not revoked, not expired, active person), or None."""
    if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key), revoked_at__isnull=True).first()
    now = timezone.now()
    if token is None or not token.user.is_active or (token.expires_at and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        # Throttled write: one UPDATE per token per 5 minutes, not one per request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_token_revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(Action.PERMISSION, obj=token.user, changes={"api_token_revoked": token.prefix})
