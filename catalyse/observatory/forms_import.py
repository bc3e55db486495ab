from django import forms
from django.utils.translation import gettext_lazy as _

from catalyse.core.forms_import import ImportForm
from catalyse.territories.models import Level

from .models import Indicator


class IndicatorImportForm(ImportForm):
    """The upload form plus the indicator importer's options (see `observatory.importers`)."""

    indicator = forms.ModelChoiceField(label=_("Indicateur"), queryset=Indicator.objects.all(),
                                       to_field_name="code")
    level = forms.ChoiceField(label=_("Niveau des codes du fichier"), choices=Level.choices, initial=Level.COMMUNE)
    year = forms.IntegerField(label=_("Année"), required=False, min_value=1800, max_value=2100,
                              help_text=_("Si le fichier n'a ni colonne « an » ni une colonne par année."))
    column = forms.CharField(label=_("Colonne de valeurs"), required=False, max_length=100,
                             help_text=_("Si le fichier a plusieurs colonnes de valeurs."))

    def options(self) -> dict:
        return {"indicator": self.cleaned_data["indicator"].code, "level": self.cleaned_data["level"],
                "year": self.cleaned_data["year"], "column": self.cleaned_data["column"].strip()}
