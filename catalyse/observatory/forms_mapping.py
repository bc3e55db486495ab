"""The preview step of the indicator import: the column mapping the animator confirms or changes before the run.

Its initial values are what the `import_indicators` command would detect (`importers.detect_layout`, same
rules); its `options()` give the importer the confirmed layout (`mapping`), which replaces the detection.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalyse.core.forms_import import MappingForm
from catalyse.core.imports import ImportFailed
from catalyse.territories.models import Level, Territory

from . import importers  # a module reference: importers registers this form, and imports it at load time
from .models import Indicator

COLUMN, PER_YEAR, FIXED = "column", "per_year", "fixed"
NONE = [("", gettext_lazy("— aucune —"))]


class IndicatorMappingForm(MappingForm):
    indicator = forms.ModelChoiceField(label=gettext_lazy("Indicateur"), queryset=Indicator.objects.all(),
                                       to_field_name="code")
    code = forms.ChoiceField(label=gettext_lazy("Colonne du code géographique"))
    label = forms.ChoiceField(label=gettext_lazy("Colonne du libellé (facultative, non importée)"), required=False)
    year_layout = forms.ChoiceField(label=gettext_lazy("Où est l'année ?"), widget=forms.RadioSelect, choices=[
        (COLUMN, gettext_lazy("Dans une colonne « année » (une ligne par territoire et par année)")),
        (PER_YEAR, gettext_lazy("Une colonne de valeurs par année (l'année est dans son nom)")),
        (FIXED, gettext_lazy("Une seule année pour tout le fichier, indiquée ci-dessous")),
    ])
    year_column = forms.ChoiceField(label=gettext_lazy("Colonne de l'année"), required=False)
    year = forms.IntegerField(label=gettext_lazy("Année du fichier"), required=False, min_value=1800,
                              max_value=2100)
    values = forms.MultipleChoiceField(label=gettext_lazy("Colonne(s) de valeurs de l'indicateur"),
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        header = self.preview.header
        self.fields["code"].choices = self.column_choices
        self.fields["label"].choices = NONE + self.column_choices
        self.fields["year_column"].choices = NONE + self.column_choices
        self.fields["values"].choices = self.column_choices
        options = self.upload_options
        self.initial.update({"indicator": options.get("indicator"), "year": options.get("year"),
                             "code": importers.code_column(header) or (header[0] if header else ""),
                             "label": next((h for h in header if importers.is_label_column(h)), "")})
        level = Level(options.get("level") or Level.COMMUNE)
        self.preview.facts.append((_("Niveau des codes"), str(level.label)))
        try:
            layout = importers.detect_layout(header, column=options.get("column", ""), year=options.get("year"))
        except ImportFailed as exc:
            self.preview.facts.append((_("Disposition des années"), _("à préciser : %(why)s") % {"why": exc}))
            return
        self.initial.update({"code": layout.code, "values": list(layout.values), "year_column": layout.year or ""})
        if layout.year:
            self.initial["year_layout"], described = COLUMN, _("colonne « %(c)s »") % {"c": layout.year}
        elif all(layout.values.values()) and not options.get("year"):
            self.initial["year_layout"] = PER_YEAR
            described = _("une colonne par année (%(y)s)") % {
                "y": ", ".join(str(y) for y in sorted(layout.values.values()))}
        else:
            self.initial["year_layout"], described = FIXED, _("année %(y)s indiquée") % {"y": options.get("year")}
        self.preview.facts.append((_("Disposition des années"), described))
        codes = {c.strip().upper() for c in self.preview.column(layout.code) if c.strip()}
        known = Territory.objects.filter(level=level, code__in=codes).values("code").distinct().count()
        self.preview.facts.append((_("Codes reconnus dans l'aperçu"), f"{known} / {len(codes)}"))

    def clean(self):
        data = super().clean()
        code, values, how = data.get("code"), data.get("values") or [], data.get("year_layout")
        year_column, label = data.get("year_column") or "", data.get("label") or ""
        taken = [c for c in values if c in {code, label, year_column}]
        if taken:
            self.add_error("values", _("Une colonne ne peut pas être à la fois valeur et code, libellé ou année : "
                                       "%(c)s.") % {"c": ", ".join(taken)})
        if how == COLUMN and not year_column:
            self.add_error("year_column", _("Choisissez la colonne de l'année."))
        if how == FIXED and not data.get("year"):
            self.add_error("year", _("Indiquez l'année des valeurs du fichier."))
        if how in (COLUMN, FIXED) and len(values) > 1:
            # Each territory would get several values for one year: only one can be kept.
            self.add_error("values", _("Avec une seule année par ligne, choisissez une seule colonne de valeurs."))
        if how == PER_YEAR:
            undated = [c for c in values if importers.year_of(c) is None]
            years = [importers.year_of(c) for c in values]
            if undated:
                self.add_error("values", _("Pas d'année dans le nom de : %(c)s.") % {"c": ", ".join(undated)})
            elif len(set(years)) != len(years):
                self.add_error("values", _("Deux colonnes choisies portent la même année."))
        return data

    def options(self) -> dict:
        data, how = self.cleaned_data, self.cleaned_data["year_layout"]
        values = {column: (importers.year_of(column) if how == PER_YEAR else data["year"] if how == FIXED else None)
                  for column in data["values"]}
        return {"indicator": data["indicator"].code, "year": data["year"] if how == FIXED else None,
                "mapping": {"code": data["code"], "year": data["year_column"] if how == COLUMN else None,
                            "values": values}}
