from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import MembershipRole

from . import services
from .models import SuggestionKind, TokenScope, User


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    display_name = forms.CharField(label=_("Nom affiché"), max_length=150, required=False,
                                   help_text=_("Visible publiquement seulement si vous l'acceptez."))
    password = forms.CharField(label=_("Mot de passe"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rules are shown before the first attempt, not only in the error after it.
        self.fields["password"].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        data = super().clean()
        if data.get("password"):
            try:
                password_validation.validate_password(data["password"], User(email=data.get("email", "")))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    password = forms.CharField(label=_("Mot de passe"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code à 6 chiffres"), max_length=8,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "show_name_publicly", "show_testimonies_publicly"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique de la personne invitée"))
    role = forms.ChoiceField(label=_("Rôle"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER)


class IdentityConfirmForm(forms.Form):
    """The password (or a second-factor code) asked again before a sensitive change: an open session alone, on a
    borrowed or stolen browser, must not be enough. Failures count like sign-in failures."""

    password = forms.CharField(label=_("Votre mot de passe"), required=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    code = forms.CharField(label=_("Ou un code de double authentification"), max_length=8, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request
        if not user.totp_enabled:
            del self.fields["code"]

    def identity_needed(self, data: dict) -> bool:
        return True

    def clean(self):
        data = super().clean()
        if not self.errors and self.identity_needed(data):
            try:
                services.identity_confirm(self.user, password=data.get("password", ""), code=data.get("code", ""),
                                          request=self.request)
            except ValidationError as exc:
                self.add_error(None, exc)
        return data

    @property
    def throttled(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, "throttled")


class TokenForm(IdentityConfirmForm):
    field_order = ["name", "scope"]
    name = forms.CharField(label=_("Nom du jeton"), max_length=100)
    scope = forms.ChoiceField(label=_("Portée"), choices=TokenScope.choices, initial=TokenScope.READ)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _("Demandé pour un jeton d'écriture.")

    def identity_needed(self, data: dict) -> bool:
        return data.get("scope") == TokenScope.WRITE


class EmailChangeForm(IdentityConfirmForm):
    field_order = ["new_email"]
    new_email = forms.EmailField(label=_("Nouvelle adresse électronique"),
                                 help_text=_("Un lien de confirmation y sera envoyé : l'adresse change quand vous "
                                             "l'ouvrez."))


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approuver")), ("changes", _("Demander des modifications")),
                                          ("reject", _("Refuser"))], widget=forms.RadioSelect, label=_("Décision"))
    message = forms.CharField(label=_("Message à la personne qui a proposé"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)


class SuggestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Je veux"), choices=SuggestionKind.choices, widget=forms.RadioSelect,
                             initial=SuggestionKind.EDIT)
    field = forms.ChoiceField(label=_("Champ concerné"), required=False)
    proposed_value = forms.CharField(label=_("Texte proposé"), widget=forms.Textarea(attrs={"rows": 6}),
                                     required=False, max_length=20000)
    message = forms.CharField(label=_("Message (source, explication)"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, max_length=4000)

    def __init__(self, fields: list[tuple[str, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "—")] + fields
