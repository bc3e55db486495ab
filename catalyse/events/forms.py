from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Event, EventKind, Registration
from .queries import workshop_sessions


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["name", "email", "organisation_name", "session", "public_name"]
        labels = {"organisation_name": _("Organisation")}
        help_texts = {
            "public_name": _("Sinon, seuls les organisateurs voient votre nom."),
            "email": _("Visible des seuls organisateurs, jamais publiée."),
        }

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # `event` is no form field: the model's one-address-per-event constraint is left to the service, which
        # checks it with the event locked (and lets a cancelled registration register again).
        self.instance.event = event
        sessions = workshop_sessions(event)
        if sessions.exists():
            self.fields["session"].queryset = sessions
            self.fields["session"].empty_label = _("Sans préférence")
        else:
            del self.fields["session"]


class EventFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Tous les types")), *EventKind.choices])
    territoire = forms.ChoiceField(label=_("Région"), required=False)

    def __init__(self, *args, regions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territoire"].choices = [
            ("", _("Toutes les régions")),
            *((f"{t.level}:{t.code}", t.name) for t in regions),
        ]
