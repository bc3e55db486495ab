"""Forms of the evaluation pages. They parse what people type (French decimal commas, repeatable rows) and say
clearly what is wrong; the rules themselves live in `services`, whose errors come back onto the right fields
(`add_service_errors`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Membership, Organisation
from catalyse.core.forms import RowsMixin, RowsWidget, add_service_errors
from catalyse.core.forms import display as _display

from . import services
from .models import (
    Approach,
    Cumulation,
    Dimension,
    Direction,
    Frequency,
    ImpactFamily,
    Indicator,
    Measure,
    Measurement,
    Objective,
    ReasonCategory,
)

LINE = _("Ligne")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_A_NUMBER = _("« %(value)s » n'est pas un nombre. Laissez le champ vide si la valeur est sans objet ; pour une "
                 "appréciation qualitative, choisissez une échelle ordinale.")
MEASUREMENT_NOT_A_NUMBER = _("« %(value)s » n'est pas un nombre. Une donnée manquante ne se saisit pas : "
                             "n'enregistrez pas de mesure pour cette période ; pour une appréciation qualitative, "
                             "l'indicateur doit utiliser une échelle ordinale.")


def parse_number(text: str, message=NOT_A_NUMBER) -> Decimal:
    """12,5 or 12.5 or 1 200: a French or English notation; anything else ("N/A", "beaucoup") is refused."""
    cleaned = str(text).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(message, code="invalid", params={"value": str(text).strip()}) from None
    if not number.is_finite():
        raise ValidationError(message, code="invalid", params={"value": str(text).strip()})
    return number


class NumberField(forms.CharField):
    """A number as text (so that a browser never silently drops what was typed), parsed by `parse_number`."""

    def __init__(self, *, not_a_number=NOT_A_NUMBER, **kwargs):
        self.not_a_number = not_a_number
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return None if value in self.empty_values else parse_number(value, self.not_a_number)


class RowsField(forms.Field):
    """Rows of text, dates and numbers; blank rows are dropped; each error names its row."""

    def __init__(self, *, columns: tuple[str, ...], dates=(), numbers=(), row_label=LINE,
                 not_a_number=NOT_A_NUMBER, **kwargs):
        self.columns, self.dates, self.numbers = columns, set(dates), set(numbers)
        self.row_label, self.not_a_number = row_label, not_a_number
        kwargs.setdefault("required", False)
        super().__init__(widget=RowsWidget(columns), **kwargs)

    def clean(self, value):
        rows, errors = [], []
        for number, raw in enumerate(value or [], start=1):
            raw = {key: str(text).strip() for key, text in raw.items()}
            if not any(raw.values()):
                continue
            row = {}
            for column in self.columns:
                text = raw.get(column, "")
                if not text:
                    errors.append(_("%(row)s %(n)s : une case est vide.") % {"row": self.row_label, "n": number})
                    break
                try:
                    if column in self.numbers:
                        row[column] = parse_number(text, self.not_a_number)
                    elif column in self.dates:
                        row[column] = forms.DateField().clean(text)
                    else:
                        row[column] = text
                except ValidationError as exc:
                    errors.append(f"{self.row_label} {number} : {' '.join(exc.messages)}")
                    break
            else:
                rows.append(row)
        if errors:
            raise ValidationError(errors)
        return rows


def partner_organisations(initiative):
    return Organisation.objects.filter(partnerships__initiative=initiative).distinct().order_by("name")


# Framework ---------------------------------------------------------------------------------------------------------

class FrameworkForm(forms.Form):
    approach = forms.ChoiceField(label=_("Démarche d'évaluation"), choices=Approach.choices, widget=forms.RadioSelect)
    tier_names = forms.CharField(
        label=_("Noms des niveaux de l'arbre des objectifs"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Un niveau par ligne, du plus général au plus concret."))
    leads = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Responsables de l'évaluation"),
        help_text=_("Elles et ils valident ou renvoient les mesures et verrouillent les périodes."))

    def __init__(self, *args, framework, **kwargs):
        initial = {"approach": framework.approach, "tier_names": "\n".join(framework.tier_names),
                   "leads": list(framework.leads.all()) if framework.pk else []}
        super().__init__(*args, initial=initial, **kwargs)
        # The partners' people, and the current leads even if they left.
        partners = Membership.objects.filter(organisation__partnerships__initiative=framework.initiative)
        self.fields["leads"].queryset = get_user_model().objects.filter(
            Q(pk__in=partners.values("user")) | Q(pk__in=initial["leads"])
        ).order_by("display_name", "email")

    def clean_tier_names(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["tier_names"].splitlines() if line.strip()]
        if not names:
            raise ValidationError(_("Nommez au moins un niveau."))
        return names


class LockForm(forms.Form):
    until = forms.DateField(label=_("Verrouiller les périodes finissant au plus tard le"), widget=DATE_INPUT,
                            required=False, help_text=_("Laissez vide pour tout déverrouiller."))


# Objectives --------------------------------------------------------------------------------------------------------

class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=300)
    tier = forms.TypedChoiceField(label=_("Niveau"), coerce=int)
    parent = forms.ModelChoiceField(Objective.objects.none(), required=False, label=_("Objectif parent"),
                                    empty_label=_("— aucun (racine de l'arbre) —"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    assumptions = forms.CharField(label=_("Hypothèses"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Ce qui doit être vrai pour que cet objectif soit atteint."))
    owner = forms.ModelChoiceField(Organisation.objects.none(), required=False, label=_("Porté par"),
                                   empty_label=_("Le collectif (objectif partagé)"))
    contributes_to = forms.ModelChoiceField(
        Objective.objects.none(), required=False, label=_("Contribue à l'objectif collectif"),
        empty_label=_("— aucun —"), help_text=_("Pour l'objectif d'un partenaire : l'objectif collectif auquel il "
                                                "contribue (une contribution, pas une attribution)."))
    contribution = forms.CharField(label=_("Récit de la contribution"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    is_public = forms.BooleanField(label=_("Publier cet objectif"), required=False,
                                   help_text=_("Visible alors par tous ceux qui peuvent voir l'initiative."))

    FIELDS = ("title", "tier", "parent", "description", "assumptions", "owner", "contributes_to", "contribution",
              "is_public")

    def __init__(self, *args, initiative, tier_names, objective: Objective | None = None, **kwargs):
        if objective is not None:
            kwargs["initial"] = {name: getattr(objective, name) for name in self.FIELDS}
        super().__init__(*args, **kwargs)
        others = Objective.objects.filter(initiative=initiative).exclude(pk=getattr(objective, "pk", None))
        self.fields["tier"].choices = list(enumerate(tier_names))
        self.fields["parent"].queryset = others
        self.fields["contributes_to"].queryset = others.filter(owner__isnull=True)
        self.fields["owner"].queryset = partner_organisations(initiative)


# Indicators --------------------------------------------------------------------------------------------------------

class IndicatorForm(RowsMixin, forms.Form):
    # The sheet: changed in place.
    name = forms.CharField(label=_("Nom"), max_length=200)
    unit = forms.CharField(label=_("Unité"), max_length=50, required=False, help_text=_("personnes, €, hectares…"))
    objective = forms.ModelChoiceField(Objective.objects.none(), required=False, label=_("Objectif suivi"),
                                       empty_label=_("— aucun —"))
    owner = forms.ModelChoiceField(Organisation.objects.none(), required=False, label=_("Responsable de la collecte"),
                                   empty_label=_("Le collectif"))
    impact_family = forms.ChoiceField(label=_("Famille d'impact"), choices=ImpactFamily.choices,
                                      widget=forms.RadioSelect, initial=ImpactFamily.PERFORMANCE)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices, initial=Dimension.SOCIAL)
    sdg_target = forms.CharField(label=_("Cible ODD"), max_length=8, required=False, help_text=_("par exemple 11.3"))
    frequency = forms.ChoiceField(label=_("Fréquence de collecte"), choices=Frequency.choices,
                                  initial=Frequency.QUARTERLY)
    data_source = forms.CharField(label=_("Source des données"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    verification = forms.CharField(label=_("Moyens de vérification"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    key = forms.BooleanField(label=_("Indicateur clé"), required=False,
                             help_text=_("Les indicateurs clés passent en premier partout."))
    active = forms.BooleanField(label=_("Suivi en cours"), required=False, initial=True)
    is_public = forms.BooleanField(label=_("Publier cet indicateur"), required=False,
                                   help_text=_("Ses mesures validées deviennent alors visibles."))
    # The definition: a change writes a new version, with its reason.
    definition = forms.CharField(label=_("Définition"), widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("Ce que l'indicateur mesure."))
    computation = forms.CharField(label=_("Mode de calcul"), widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Comment la valeur est obtenue, pas à pas."))
    measure = forms.ChoiceField(label=_("Mesure"), choices=Measure.choices, widget=forms.RadioSelect,
                                initial=Measure.NUMBER)
    scale_levels = forms.CharField(
        label=_("Niveaux de l'échelle"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pour une échelle ordinale : un niveau par ligne, du niveau 1 au plus haut."))
    direction = forms.ChoiceField(label=_("Sens souhaité"), choices=Direction.choices, widget=forms.RadioSelect,
                                  initial=Direction.INCREASE)
    cumulation = forms.ChoiceField(label=_("Cumul"), choices=Cumulation.choices, widget=forms.RadioSelect,
                                   initial=Cumulation.NONE)
    baseline_value = NumberField(label=_("Valeur de référence"), required=False,
                                 help_text=_("Vide si sans objet. Pour une échelle : le numéro du niveau."))
    baseline_date = forms.DateField(label=_("Date de la valeur de référence"), required=False, widget=DATE_INPUT)
    targets = RowsField(columns=("date", "value"), dates=("date",), numbers=("value",), row_label=_("Cible"),
                        label=_("Cibles datées"))
    # The reason of a new version (edit only).
    reason_category = forms.ChoiceField(label=_("Motif du changement"), required=False,
                                        choices=[("", "—")] + ReasonCategory.choices)
    reason_text = forms.CharField(label=_("Explication"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(label=_("Date de la décision"), required=False, widget=DATE_INPUT)
    participants = forms.CharField(label=_("Participants à la décision"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    row_fields = {"targets": 2}
    SHEET = ("name", "unit", "objective", "owner", "impact_family", "dimension", "sdg_target", "frequency",
             "data_source", "verification", "key", "active", "is_public")
    DEFINITION = ("definition", "computation", "measure", "scale_levels", "direction", "cumulation",
                  "baseline_value", "baseline_date", "targets")
    REASON = ("reason_category", "reason_text", "decided_on", "participants")
    ALIASES = {"reason": "reason_category"}

    def __init__(self, *args, initiative, indicator: Indicator | None = None, more: str = "", **kwargs):
        self.indicator = indicator
        self.changes: list[str] = []
        if indicator is not None:
            version = services.current_version(indicator)
            initial = {name: getattr(indicator, name) for name in self.SHEET}
            initial |= {name: getattr(version, name) for name in self.DEFINITION}
            initial["scale_levels"] = "\n".join(version.scale_levels)
            initial["baseline_value"] = _display(version.baseline_value.normalize()) \
                if version.baseline_value is not None else ""
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        if indicator is None:
            for name in self.REASON:
                del self.fields[name]
        self.fields["objective"].queryset = Objective.objects.filter(initiative=initiative)
        self.fields["owner"].queryset = partner_organisations(initiative)
        self.build_rows(more)

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.SHEET + self.DEFINITION}
        data["scale_levels"] = [line.strip() for line in data["scale_levels"].splitlines() if line.strip()]
        data["targets"] = [{"date": row["date"], "value": row["value"]} for row in data["targets"]]
        return data

    def reason_kwargs(self) -> dict:
        return {name: self.cleaned_data.get(name) or ("" if name != "decided_on" else None) for name in self.REASON}

    def clean(self):
        cleaned = super().clean()
        if self.indicator is None or self.errors:
            return cleaned
        try:
            self.changes = services.indicator_definition_changes(
                self.indicator, **{name: self.service_kwargs()[name] for name in self.DEFINITION})
        except ValidationError as exc:
            add_service_errors(self, exc, self.ALIASES)
            return cleaned
        if self.changes:
            missing = [name for name in self.REASON if not cleaned.get(name)]
            if missing:
                self.add_error(None, _(
                    "Vous changez la définition de l'indicateur (%(fields)s) : une nouvelle version sera créée, "
                    "et les mesures déjà saisies resteront attachées à l'ancienne. Indiquez le motif, "
                    "l'explication, la date de la décision et les participants.")
                    % {"fields": ", ".join(str(self.fields[name].label).lower() for name in self.changes)})
                for name in missing:
                    self.add_error(name, _("Requis pour une nouvelle version."))
        return cleaned


# Measurements ------------------------------------------------------------------------------------------------------

class MeasurementForm(RowsMixin, forms.Form):
    period_start = forms.DateField(label=_("Début de la période"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Fin de la période"), widget=DATE_INPUT)
    value = NumberField(label=_("Valeur"), required=False, not_a_number=MEASUREMENT_NOT_A_NUMBER)
    level = forms.TypedChoiceField(label=_("Niveau"), coerce=int, required=False, empty_value=None)
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    disaggregations = RowsField(columns=("dimension", "category", "value"), numbers=("value",),
                                row_label=_("Ventilation"), label=_("Ventilations"),
                                not_a_number=MEASUREMENT_NOT_A_NUMBER)

    row_fields = {"disaggregations": 2}

    def __init__(self, *args, version, measurement: Measurement | None = None, more: str = "", **kwargs):
        self.scale = version.measure == Measure.SCALE
        if measurement is not None:
            kwargs["initial"] = {
                "period_start": measurement.period_start, "period_end": measurement.period_end,
                "value": _display(measurement.value.normalize()) if measurement.value is not None else "",
                "level": measurement.level, "comment": measurement.comment,
                "disaggregations": [{"dimension": d.dimension, "category": d.category, "value": d.value.normalize()}
                                    for d in measurement.disaggregations.all()]}
        super().__init__(*args, **kwargs)
        if self.scale:
            del self.fields["value"]
            self.fields["level"].required = True
            self.fields["level"].choices = [("", "—")] + [
                (number, f"{number}. {label}") for number, label in enumerate(version.scale_levels, start=1)]
        else:
            del self.fields["level"]
            self.fields["value"].required = True
            if version.measure == Measure.PERCENTAGE:
                self.fields["value"].label = _("Valeur (%)")
            elif version.indicator.unit:
                self.fields["value"].label = _("Valeur (%(unit)s)") % {"unit": version.indicator.unit}
        self.build_rows(more)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("value", None)
        data.setdefault("level", None)
        return data


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Ce qui doit être revu"), widget=forms.Textarea(attrs={"rows": 2}))
