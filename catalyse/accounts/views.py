import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalyse.actors.models import MembershipRole, Organisation
from catalyse.core import permissions

from . import moderation, services
from .audit import Action, audit_write_csv
from .forms import (
    CodeForm,
    EmailChangeForm,
    EmailForm,
    IdentityConfirmForm,
    InvitationForm,
    LoginForm,
    ModerationForm,
    ProfileForm,
    SignupForm,
    SuggestionForm,
    TokenForm,
)
from .models import AuditEntry, Suggestion
from .personal_data import account_delete, personal_data_export

PENDING_2FA = "accounts:pending-2fa"


def _form_page(request, form, *, title: str, submit: str, intro: str = "", status: int = 200):
    return render(request, "accounts/form.html", {"form": form, "title": title, "submit": submit, "intro": intro},
                  status=status)


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("accounts:profile")


# --- Sign-up, verification, sign-in ------------------------------------------------------------------


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_signup(**form.cleaned_data, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
            if getattr(exc, "code", None) == "throttled":
                return _form_page(request, form, title=_("Créer un compte"), submit=_("Créer mon compte"), status=429)
        else:
            # The same answer for a known address (its owner gets another email): no account enumeration.
            return render(request, "accounts/message.html", {
                "title": _("Vérifiez votre boîte aux lettres"),
                "text": _("Un courriel vient d'être envoyé à %(email)s : suivez ses indications pour continuer.")
                % form.cleaned_data})
    return _form_page(request, form, title=_("Créer un compte"), submit=_("Créer mon compte"))


def verify(request, token: str):
    try:
        services.user_verify_email(token)
    except ValidationError as exc:
        return render(request, "accounts/message.html", {"title": _("Lien invalide"), "text": exc.messages[0]},
                      status=400)
    messages.success(request, _("Adresse confirmée : vous pouvez vous connecter."))
    return redirect("accounts:login")


def verification_resend(request):
    form = EmailForm(request.POST or None)
    title, submit = _("Renvoyer le lien de confirmation"), _("Envoyer")
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_resend(email=form.cleaned_data["email"], request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
            return _form_page(request, form, title=title, submit=submit, status=429)
        # Same answer whether or not the address has an account: no account enumeration.
        messages.info(request, _("Si un compte non confirmé existe pour cette adresse, un lien vient d'être envoyé."))
        return redirect("accounts:login")
    return _form_page(request, form, title=title, submit=submit)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per address and per IP like every account email."""

    def form_valid(self, form):
        try:
            services.account_mail_throttle(form.cleaned_data["email"], request=self.request)
        except ValidationError as exc:
            form.add_error("email", exc)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def login_view(request):
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.credentials_check(**form.cleaned_data, request=request)
        except services.LoginError as exc:
            form.add_error(None, str(exc))
            status = 429 if exc.retry_after else 200
        else:
            if user.totp_enabled:
                request.session[PENDING_2FA] = {"user": user.pk, "at": timezone.now().timestamp()}
                return redirect(reverse("accounts:login_code") + "?next=" + _next_url(request))
            services.session_login(request, user)
            return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}, status=status)


def login_code(request):
    pending = request.session.get(PENDING_2FA)
    if not pending or timezone.now().timestamp() - pending["at"] > 300:
        return redirect("accounts:login")
    user = get_object_or_404(services.User, pk=pending["user"], is_active=True)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_check(user, form.cleaned_data["code"], request=request)
        except services.LoginError as exc:
            form.add_error("code", str(exc))
            if exc.retry_after:  # locked: the next try starts again from the password
                del request.session[PENDING_2FA]
                status = 429
        else:
            del request.session[PENDING_2FA]
            services.session_login(request, user, second_factor=True)
            return redirect(_next_url(request))
    return _form_page(request, form, title=_("Double authentification"), submit=_("Valider"),
                      intro=_("Saisissez le code affiché par votre application d'authentification."), status=status)


@require_POST
def logout_view(request):
    services.session_forget(request.session.session_key)
    logout(request)
    messages.info(request, _("Vous êtes déconnecté."))
    return redirect("home")


# --- Account pages -----------------------------------------------------------------------------------


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(request.user, **{k: form.cleaned_data[k] for k in form.changed_data})
        messages.success(request, _("Profil enregistré."))
        return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("organisation")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@login_required
def sessions(request):
    if request.method == "POST":
        services.session_revoke(request.user, int(request.POST.get("session", "0") or 0))
        messages.success(request, _("Session fermée."))
        return redirect("accounts:sessions")
    return render(request, "accounts/sessions.html", {
        "sessions": services.sessions_of(request.user), "current": request.session.session_key})


@login_required
def two_factor(request):
    user = request.user
    form = CodeForm(request.POST or None)
    disable_form = IdentityConfirmForm(user, request=request)
    if request.method == "POST" and request.POST.get("action") == "disable":
        disable_form = IdentityConfirmForm(user, request.POST, request=request)
        if disable_form.is_valid():
            services.totp_disable(user)
            messages.success(request, _("Double authentification désactivée."))
            return redirect("accounts:two_factor")
        form = CodeForm()
    if request.method == "POST" and request.POST.get("action") == "begin":
        services.totp_begin(user)
        return redirect("accounts:two_factor")
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_confirm(user, form.cleaned_data["code"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Double authentification activée."))
            return redirect("accounts:two_factor")
    qr = uri = ""
    if user.totp_secret and not user.totp_enabled:
        import pyotp

        uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=services.TOTP_ISSUER)
        qr = segno.make(uri, error="m").svg_data_uri(scale=4)
    return render(request, "accounts/two_factor.html", {
        "form": form, "disable_form": disable_form, "qr": qr, "secret": user.totp_secret},
        status=429 if disable_form.throttled else 200)


@login_required
def tokens(request):
    form = TokenForm(request.user, request.POST or None, request=request)
    new_key = ""
    if request.method == "POST" and request.POST.get("revoke"):
        token = get_object_or_404(request.user.api_tokens, pk=request.POST["revoke"])
        services.api_token_revoke(token)
        messages.success(request, _("Jeton révoqué."))
        return redirect("accounts:tokens")
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(user=request.user, name=form.cleaned_data["name"],
                                                        scope=form.cleaned_data["scope"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            form = TokenForm(request.user)
    return render(request, "accounts/tokens.html",
                  {"form": form, "tokens": request.user.api_tokens.all(), "new_key": new_key},
                  status=429 if form.is_bound and form.throttled else 200)


@login_required
def data_export(request):
    if request.method != "POST":
        return render(request, "accounts/data_export.html")
    response = HttpResponse(personal_data_export(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-catalyse.zip"'
    return response


@login_required
def delete_account(request):
    form = IdentityConfirmForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        account_delete(request.user)
        logout(request)
        return render(request, "accounts/message.html", {
            "title": _("Compte supprimé"),
            "text": _("Vos données personnelles ont été effacées. Vos contributions restent, attribuées à "
                      "« ancien membre »."),
        })
    return _form_page(request, form, title=_("Supprimer mon compte"), submit=_("Supprimer définitivement"),
                      intro=_("Vos contributions (organisations, initiatives, commentaires) sont conservées et "
                              "attribuées à « ancien membre ». Votre adresse, votre nom, vos sessions et vos jetons "
                              "sont effacés."), status=429 if form.is_bound and form.throttled else 200)


@login_required
def email_change(request):
    form = EmailChangeForm(request.user, request.POST or None, request=request)
    status = 429 if form.is_bound and form.throttled else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.email_change_request(request.user, new_email=form.cleaned_data["new_email"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
            status = 429
        else:
            # The same answer for an address that already has an account: no account enumeration.
            messages.info(request, _("Un lien de confirmation a été envoyé à %(email)s : votre adresse changera "
                                     "quand vous l'ouvrirez.") % {"email": form.cleaned_data["new_email"]})
            return redirect("accounts:profile")
    return _form_page(request, form, title=_("Changer d'adresse électronique"), submit=_("Envoyer le lien"),
                      status=status)


def email_change_confirm(request, token: str):
    try:
        services.user_email_change(token)
    except ValidationError as exc:
        return render(request, "accounts/message.html", {"title": _("Lien invalide"), "text": exc.messages[0]},
                      status=400)
    messages.success(request, _("Adresse modifiée : connectez-vous désormais avec la nouvelle."))
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


# --- Organisations: invitations ------------------------------------------------------------------------


@login_required
def invite(request, slug: str):
    org = permissions.get_editable_or_404(request.user, Organisation.objects.all(), slug=slug)
    if request.method == "POST" and request.POST.get("membership"):
        return _membership_change(request, org)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_create(organisation=org, invited_by=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Invitation envoyée à %(email)s.") % form.cleaned_data)
        return redirect("accounts:invite", slug=org.slug)
    return render(request, "accounts/invite.html", {
        "form": form, "organisation": org, "memberships": org.memberships.select_related("user"),
        "invitations": org.invitations.filter(accepted_at__isnull=True)})


def _membership_change(request, org):
    """An editor changes someone's role in the organisation or removes them (not themselves: an organisation
    must not lose its last editor by mistake)."""
    membership = get_object_or_404(org.memberships.select_related("user"), pk=request.POST["membership"])
    if membership.user_id == request.user.pk:
        messages.error(request, _("Vous ne pouvez pas modifier votre propre rôle."))
    elif request.POST.get("action") == "remove":
        services.membership_remove(membership)
        messages.success(request, _("%(who)s ne fait plus partie de l'organisation.") % {"who": membership.user})
    elif request.POST.get("role") in MembershipRole.values:
        services.membership_set_role(membership, request.POST["role"])
        messages.success(request, _("Rôle modifié."))
    return redirect("accounts:invite", slug=org.slug)


def invitation_accept(request, token: str):
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as exc:
        return render(request, "accounts/message.html", {"title": _("Invitation"), "text": exc.messages[0]},
                      status=404)
    if not request.user.is_authenticated:
        return render(request, "accounts/invitation.html", {"invitation": invitation, "token": token})
    if request.method == "POST":
        services.invitation_accept(token=token, user=request.user)
        messages.success(request, _("Vous avez rejoint %(name)s.") % {"name": invitation.organisation.name})
        return redirect(invitation.organisation.get_absolute_url())
    return render(request, "accounts/invitation.html", {"invitation": invitation, "token": token})


# --- Moderation and suggestions --------------------------------------------------------------------


@permissions.animator_required
def moderation_queue(request):
    return render(request, "accounts/moderation_queue.html", {
        "queue": moderation.pending_queue(), "suggestions": moderation.suggestions_for_editor(request.user)[:200]})


@permissions.animator_required
def moderation_item(request, ct: int, pk: str):
    entry, obj = moderation.object_for(ct, pk)
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.moderation_decide(obj=obj, moderator=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Décision enregistrée."))
            return redirect("accounts:moderation")
    return render(request, "accounts/moderation_item.html", {
        "entry": entry, "obj": obj, "form": form, "decisions": moderation.decisions_for(obj),
        "status": entry.status_label(obj), "preview": entry.preview(obj)})


def suggest(request, ct: int, pk: str):
    entry, obj = moderation.object_for(ct, pk)
    if not permissions.can_view(request.user, obj):
        raise Http404
    form = SuggestionForm([(f, entry.field_label(f)) for f in entry.suggestible_fields], request.POST or None,
                          initial={"kind": request.GET.get("type", "edit")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moderation.suggestion_create(obj=obj, kind=data["kind"], field_name=data["field"],
                                         proposed_value=data["proposed_value"], message=data["message"],
                                         author=request.user, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
            # A field-keyed ValidationError has no `code`: only the rate limit raises one with a code.
            if getattr(exc, "code", None) == "throttled":
                return render(request, "accounts/suggest.html", {"form": form, "obj": obj}, status=429)
        else:
            messages.success(request, _("Merci : votre proposition sera examinée par les éditeurs."))
            return redirect(obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "home")
    return render(request, "accounts/suggest.html", {"form": form, "obj": obj})


@login_required
def suggestions_inbox(request):
    return render(request, "accounts/suggestions.html",
                  {"suggestions": moderation.suggestions_for_editor(request.user)[:200]})


@login_required
def suggestion_review(request, pk: int):
    suggestion = get_object_or_404(Suggestion.objects.select_related("content_type", "author"), pk=pk)
    target = moderation.suggestion_target(suggestion)
    if target is None or not permissions.can_edit(request.user, target):
        raise Http404
    if request.method == "POST":
        try:
            moderation.suggestion_decide(suggestion=suggestion, accept=request.POST.get("decision") == "accept",
                                         user=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Proposition traitée."))
        return redirect("accounts:suggestions")
    return render(request, "accounts/suggestion_review.html", {
        "suggestion": suggestion, "target": target, "diff": moderation.suggestion_diff(suggestion)})


# --- Audit log and privacy --------------------------------------------------------------------------


@permissions.admin_required
def audit_log(request):
    entries = AuditEntry.objects.select_related("content_type")
    if action := request.GET.get("action"):
        entries = entries.filter(action=action)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="journal-audit.csv"'
        audit_write_csv(entries, response)
        return response
    actions = [v for k, v in vars(Action).items() if k.isupper()]
    return render(request, "accounts/audit.html",
                  {"entries": entries[:500], "action": action or "", "actions": actions})


def privacy(request):
    return render(request, "accounts/privacy.html")
