"""Forms of the mobilisation and maturity pages. They only collect; the rules live in `services_partnership`,
whose errors come back onto the form's fields (`service_errors`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Organisation
from catalyse.initiatives.models import Initiative, Role

from .models import EngagementScale, EventKind, EventSubject, Evidence, MaturityWave

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def partners_of(initiative: Initiative):
    return Organisation.objects.filter(partnerships__initiative=initiative).distinct().order_by("name")


def service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it, else on the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Partenaire"),
                                          empty_label=_("— choisir —"))

    def __init__(self, initiative: Initiative, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partners_of(initiative)


class EvidenceMixin(forms.Form):
    """Pick items of the initiative's evidence library that show this mobilisation (hidden when it is empty)."""

    evidence = forms.ModelMultipleChoiceField(Evidence.objects.none(), required=False, label=_("Preuves"),
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, initiative: Initiative, *args, **kwargs):
        super().__init__(initiative, *args, **kwargs)
        library = Evidence.objects.filter(initiative=initiative).order_by("title")
        if library.exists():
            self.fields["evidence"].queryset = library
            self.order_fields([name for name in self.fields if name != "evidence"] + ["evidence"])
        else:
            del self.fields["evidence"]


class EventForm(EvidenceMixin, PartnerForm):
    kind = forms.ChoiceField(label=_("Événement"), choices=EventKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DATE)
    subject = forms.ChoiceField(label=_("Qui est concerné ?"), choices=EventSubject.choices,
                                widget=forms.RadioSelect, initial=EventSubject.ORGANISATION)
    person_function = forms.CharField(label=_("Fonction de la personne"), max_length=120, required=False,
                                      help_text=_("Par exemple « chargée de mission ». Jamais de nom."))
    role = forms.ChoiceField(label=_("Rôle (nouveau rôle pour un changement de rôle)"), required=False,
                             choices=[("", "—"), *Role.choices])
    reason = forms.CharField(label=_("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Obligatoire pour un départ, un retour ou un changement de rôle."))


class LevelForm(EvidenceMixin, PartnerForm):
    period_start = forms.DateField(label=_("Début de la période"), widget=DATE)
    period_end = forms.DateField(label=_("Fin de la période"), widget=DATE)
    level = forms.TypedChoiceField(label=_("Niveau d'engagement"), choices=EngagementScale.choices, coerce=int,
                                   widget=forms.RadioSelect)
    people = forms.IntegerField(label=_("Personnes de l'organisation impliquées"), required=False, min_value=0,
                                max_value=10_000)
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WaveForm(forms.Form):
    title = forms.CharField(label=_("Intitulé de la vague"), max_length=200,
                            help_text=_("Par exemple « Vague 2025 »."))
    held_on = forms.DateField(label=_("Date"), widget=DATE)


class ResponseForm(PartnerForm):
    """One respondent's answers to a wave: one group of described levels per axis of that wave."""

    respondent = forms.CharField(label=_("Fonction du répondant ou de la répondante"), max_length=120,
                                 required=False, help_text=_("Jamais de nom."))
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, initiative: Initiative, wave: MaturityWave, *args, **kwargs):
        kwargs.setdefault("prefix", f"vague{wave.pk}")
        super().__init__(initiative, *args, **kwargs)
        self.wave = wave
        for axis in wave.axes:
            self.fields[f"axis_{axis['code']}"] = forms.TypedChoiceField(
                label=axis["label"], coerce=int, widget=forms.RadioSelect,
                choices=[(n, f"{n} — {text}") for n, text in enumerate(axis["levels"], start=1)])
        self.order_fields(["organisation", "respondent", *(f"axis_{a['code']}" for a in wave.axes), "comment"])

    def axis_fields(self):
        return [self[f"axis_{axis['code']}"] for axis in self.wave.axes]

    def answers(self) -> dict[str, int]:
        return {axis["code"]: self.cleaned_data[f"axis_{axis['code']}"] for axis in self.wave.axes}


class QuestionnaireForm(forms.Form):
    """The questionnaire as plain text: one block per axis, separated by an empty line; the axis's name on its
    first line, then one line per level, the lowest first."""

    text = forms.CharField(label=_("Axes et niveaux"), widget=forms.Textarea(attrs={"rows": 30}),
                           max_length=20_000, help_text=_(
                               "Un bloc par axe, séparé du suivant par une ligne vide : le nom de l'axe sur la "
                               "première ligne, puis un niveau par ligne, du plus bas au plus haut."))

    @staticmethod
    def as_text(axes: list[dict]) -> str:
        return "\n\n".join("\n".join([axis["label"], *(f"- {level}" for level in axis["levels"])])
                            for axis in axes)

    def axes(self, current: list[dict]) -> list[dict]:
        """The axes typed; an axis keeps its code when its name is unchanged, else gets one from its name."""
        codes = {axis["label"]: axis["code"] for axis in current}
        axes = []
        for block in self.cleaned_data["text"].replace("\r", "").split("\n\n"):
            lines = [line.strip() for line in block.split("\n") if line.strip()]
            if not lines:
                continue
            label = lines[0]
            axes.append({"code": codes.get(label) or slugify(label)[:40] or f"axe-{len(axes) + 1}",
                         "label": label, "levels": [line.lstrip("-–• ").strip() for line in lines[1:]]})
        return axes
