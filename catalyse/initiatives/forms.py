from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Organisation
from catalyse.core import permissions
from catalyse.core.concurrency import VersionField
from catalyse.core.uploads import IMAGE_INPUT, ImageUploadField, file_change
from catalyse.core.widgets import MarkdownTextarea
from catalyse.territories.forms import TerritoryKeysField, TerritoryPickerMixin

from .models import Initiative, PracticeSheet, Role, Sdg, Stage, StageChange, Theme


class InitiativeForm(TerritoryPickerMixin, forms.ModelForm):
    territories = TerritoryKeysField(label=_("Territoires"), required=False)
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.all(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Thèmes"))
    sdgs = forms.ModelMultipleChoiceField(
        Sdg.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
        label=_("Objectifs de développement durable"))
    version = VersionField()
    message = forms.CharField(label=_("Qu'avez-vous changé ? (facultatif)"), max_length=300, required=False)

    class Meta:
        model = Initiative
        fields = ["title", "summary", "recit", "territories", "stage", "themes", "sdgs", "start_date", "end_date",
                  "status", "visibility", "cover", "cover_alt"]
        field_classes = {"cover": ImageUploadField}
        widgets = {
            "stage": forms.RadioSelect, "status": forms.RadioSelect, "visibility": forms.RadioSelect,
            "recit": MarkdownTextarea(attrs={"rows": 14}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "cover": IMAGE_INPUT,
        }
        help_texts = {
            "summary": _("Une phrase qui dit ce que fait l'initiative."),
            "recit": _("Racontez l'histoire : le besoin, qui s'est mobilisé, ce qui a marché, ce que vous avez "
                       "appris. Mise en forme Markdown : ## Titre, **gras**, [lien](https://…), - liste."),
            "visibility": _("Qui peut lire cette initiative."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
            self.initial.setdefault("territories", list(self.instance.territories.all()))
        self.fields["stage"].choices = Stage.choices

    def service_kwargs(self) -> dict:
        """The cleaned data as the keyword arguments of initiative_create/update."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("message", None)
        return file_change(data, "cover")


class PartnerRowsMixin:
    """Partner rows posted as aligned lists (partner_org, partner_role, partner_joined): the picker adds
    one row per chosen organisation, each with its role and arrival date."""

    def clean_partner_rows(self, data, user) -> list[dict]:
        orgs, roles, joined = data.getlist("partner_org"), data.getlist("partner_role"), data.getlist("partner_joined")
        rows, errors = [], []
        visible = permissions.visible_queryset(user, Organisation.objects.all())
        date_field = forms.DateField(required=False)
        for i, org_id in enumerate(orgs):
            org = visible.filter(pk=org_id).first() if str(org_id).isdigit() else None
            role = roles[i] if i < len(roles) else ""
            if org is None:
                errors.append(_("Organisation introuvable."))
                continue
            if role not in Role.values:
                errors.append(_("Choisissez le rôle de %(org)s.") % {"org": org})
                continue
            try:
                when = date_field.clean(joined[i] if i < len(joined) else "")
            except ValidationError:
                errors.append(_("Date d'arrivée invalide pour %(org)s.") % {"org": org})
                continue
            rows.append({"organisation": org, "role": role, "joined_on": when})
        if errors:
            raise ValidationError(errors)
        return rows


class InitiativeCreateForm(PartnerRowsMixin, InitiativeForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.partner_rows: list[dict] = []

    def clean(self):
        cleaned = super().clean()
        if self.data:
            try:
                self.partner_rows = self.clean_partner_rows(self.data, self.user)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class PartnershipForm(PartnerRowsMixin, forms.Form):
    left_on = forms.DateField(label=_("Départ"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PartnershipEndForm(forms.Form):
    left_on = forms.DateField(label=_("Date de départ"), widget=forms.DateInput(attrs={"type": "date"}))


class StageChangeForm(forms.ModelForm):
    class Meta:
        model = StageChange
        fields = ["stage", "changed_on", "note"]
        widgets = {"changed_on": forms.DateInput(attrs={"type": "date"})}


class SheetForm(TerritoryPickerMixin, forms.ModelForm):
    territory_field = "territory"
    territory = TerritoryKeysField(label=_("Territoire"), required=False)
    version = VersionField()
    message = forms.CharField(label=_("Qu'avez-vous changé ? (facultatif)"), max_length=300, required=False)

    class Meta:
        model = PracticeSheet
        fields = ["title", "territory", "objective", "actors_involved", "description", "next_step", "tools_used"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in
                   ["objective", "actors_involved", "next_step", "tools_used"]} | {
            "description": MarkdownTextarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
            self.initial["territory"] = [self.instance.territory] if self.instance.territory else []

    def clean_territory(self):
        places = self.cleaned_data.get("territory") or []
        if len(places) > 1:
            raise ValidationError(_("Une fiche porte sur un seul territoire."))
        return places[0] if places else None

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("message", None)
        return data
