"""The organisation form: one validation path for the pages and the API."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalyse.core import permissions
from catalyse.core.concurrency import VersionField
from catalyse.core.uploads import IMAGE_INPUT, ImageUploadField, file_change
from catalyse.core.widgets import MarkdownTextarea
from catalyse.territories.forms import TerritoryKeysField, TerritoryPickerMixin
from catalyse.territories.keys import territory_from_key
from catalyse.territories.models import Level, Territory
from catalyse.territories.queries import territories_search

from .models import Competence, Organisation, Profile, Trade
from .validators import normalize_identifier, validate_latitude, validate_longitude

ANIMATOR_ONLY_FIELDS = ("is_catalyst", "joined_on")


class OrganisationForm(TerritoryPickerMixin, forms.ModelForm):
    trades = forms.ModelMultipleChoiceField(
        Trade.objects.all(), to_field_name="code", required=False, widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Métiers"))
    competences = forms.ModelMultipleChoiceField(
        Competence.objects.select_related("trade"), to_field_name="code", required=False,
        widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Compétences"))
    # The picker fills `head_office` (`commune:62528`) and shows the name in `head_office_label`; without
    # JavaScript, the typed name or postal code is looked up instead.
    head_office = forms.CharField(required=False, widget=forms.HiddenInput)
    head_office_label = forms.CharField(
        required=False, max_length=200, label=gettext_lazy("Commune du siège"),
        help_text=gettext_lazy("Nom, code postal ou code INSEE de la commune."))
    territories = TerritoryKeysField(required=False, label=gettext_lazy("Territoires d'action"))
    territories_add = forms.CharField(
        required=False, max_length=200, label=gettext_lazy("Ajouter un territoire d'action"),
        help_text=gettext_lazy("Commune, EPCI, département ou région : tapez un nom ou un code."))
    version = VersionField()
    # Declared here rather than from the model so that "732 829 320" (typed with spaces) is not refused for its
    # length before being normalised; the model's validators then check the bare value.
    siren = forms.CharField(required=False, max_length=30, label="SIREN",
                            help_text=gettext_lazy("9 chiffres ; les espaces sont acceptés."))
    siret = forms.CharField(required=False, max_length=40, label="SIRET",
                            help_text=gettext_lazy("14 chiffres (siège) ; les espaces sont acceptés."))
    rna = forms.CharField(required=False, max_length=30, label="RNA",
                          help_text=gettext_lazy("W suivi de 9 caractères, pour les associations."))
    website = forms.URLField(required=False, max_length=200, assume_scheme="https", label=gettext_lazy("Site web"))

    class Meta:
        model = Organisation
        fields = ["name", "profile", "legal_form", "scope", "address", "postal_code", "latitude", "longitude",
                  "email", "description", "siren", "siret", "rna", "joined_on", "is_catalyst", "logo"]
        field_classes = {"logo": ImageUploadField}
        widgets = {
            "logo": IMAGE_INPUT,
            "profile": forms.RadioSelect,
            "scope": forms.RadioSelect,
            "description": MarkdownTextarea(attrs={"rows": 12}),
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            # Chosen on the map of the form (location-picker.js), never typed as numbers.
            "latitude": forms.HiddenInput, "longitude": forms.HiddenInput,
        }
        help_texts = {
            "description": gettext_lazy("Markdown : **gras**, *italique*, listes, liens."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = Profile.choices  # radio buttons: no empty "---------" choice
        for name, validator in (("latitude", validate_latitude), ("longitude", validate_longitude)):
            self.fields[name].validators.append(validator)
        if not permissions.is_animator(user):
            for name in ANIMATOR_ONLY_FIELDS:
                del self.fields[name]
        if "is_catalyst" in self.fields:
            self.fields["is_catalyst"].template_name = "core/forms/checkbox_field.html"
        org = self.instance
        if org.pk and not self.is_bound:
            self.initial.update(organisation_form_data(org))

    # Identifiers are typed with spaces ("123 456 789"); validators see the bare digits.
    def clean_siren(self) -> str:
        return normalize_identifier(self.cleaned_data["siren"])

    def clean_siret(self) -> str:
        return normalize_identifier(self.cleaned_data["siret"])

    def clean_rna(self) -> str:
        return normalize_identifier(self.cleaned_data["rna"])

    def clean(self):
        data = super().clean()
        data["head_office"] = self._head_office(data.get("head_office", ""), data.get("head_office_label", ""))
        self.instance.head_office = data["head_office"]
        if text := data.get("territories_add", "").strip():
            found = territories_search(text).first()
            if found is None:
                self.add_error("territories_add", _("Aucun territoire ne correspond à « %(q)s ».") % {"q": text})
            elif "territories" in data and found not in data["territories"]:
                data["territories"].append(found)
        return data

    def _head_office(self, key: str, label: str) -> Territory | None:
        chosen = territory_from_key(key) if key else None
        label = label.strip()
        if not label or (chosen is not None and label == chosen.label):
            return chosen if label else None
        found = territories_search(label, level=Level.COMMUNE).first()
        if found is None:
            self.add_error("head_office_label", _("Aucune commune ne correspond à « %(q)s ».") % {"q": label})
        return found

    def service_fields(self) -> dict:
        """The cleaned values, named as the services expect them."""
        extra = {"head_office_label", "territories_add", "version"}
        return file_change({name: value for name, value in self.cleaned_data.items() if name not in extra}, "logo")

    def competence_groups(self) -> list[tuple[str, list]]:
        """Competence checkboxes grouped under their trade, for one fieldset per trade."""
        groups: dict[str, list] = {}
        for box in self["competences"]:
            groups.setdefault(box.data["value"].instance.trade.name, []).append(box)
        return list(groups.items())

    def initial_territories(self) -> list[Territory]:
        return list(self.instance.territories.all()) if self.instance.pk else []


def organisation_form_data(org: Organisation) -> dict:
    """An organisation as form data: the starting point of an edit, and of an API PATCH."""
    data = {name: getattr(org, name) for name in OrganisationForm.Meta.fields}
    data.update({
        "website": org.website,
        "trades": [t.code for t in org.trades.all()],
        "competences": [c.code for c in org.competences.all()],
        "head_office": org.head_office.key if org.head_office_id else "",
        "head_office_label": org.head_office.label if org.head_office_id else "",
        "territories": [t.key for t in org.territories.all()],
        "version": org.version,
    })
    return {k: ("" if v is None else v) for k, v in data.items()}


def organisation_differences(stored: Organisation, form: OrganisationForm) -> list[tuple[str, str, str]]:
    """(field label, stored value, submitted value) for each field the two versions disagree on."""
    rows = []
    for name, value in form.service_fields().items():
        field = form.fields[name]
        current = getattr(stored, name)
        if name in {"trades", "competences", "territories"}:
            current, value = sorted(map(str, current.all())), sorted(map(str, value or []))
            shown = ", ".join(current), ", ".join(value)
        else:
            current, value = ("" if current is None else current), ("" if value is None else value)
            shown = str(current), str(value)
        if current != value:
            rows.append((str(field.label), *shown))
    return rows


class MergeForm(forms.Form):
    """Who, among the people of the organisation about to be removed, becomes a member of the kept one:
    nobody unless the animator ticks them (see services.organisation_merge)."""

    membres = forms.ModelMultipleChoiceField(queryset=get_user_model().objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, keep: Organisation, remove: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        memberships = list(remove.memberships.select_related("user").order_by("user__email"))
        kept = {m.user_id: m for m in keep.memberships.filter(user_id__in=[m.user_id for m in memberships])}
        # (membership of the removed organisation, membership of the kept one or None), for the confirmation page
        self.people = [(m, kept.get(m.user_id)) for m in memberships]
        self.fields["membres"].queryset = get_user_model().objects.filter(memberships__organisation=remove)
