import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalyse.core.forms_import import ImportForm


def _codes(value: str) -> list[str]:
    return [c for c in re.split(r"[\s,;]+", value or "") if c]


class OrganisationImportForm(ImportForm):
    """The upload form plus the organisation importers' options (see `OrganisationImporter`)."""

    unpublished = forms.BooleanField(label=_("Ne pas publier : les nouvelles fiches attendent la modération"),
                                     required=False)
    departements = forms.CharField(label=_("Départements à garder"), required=False,
                                   help_text=_("Codes séparés par des espaces (ex. 62 59 974). Vide : tous."))
    naf = forms.CharField(label=_("SIRENE : codes d'activité (NAF)"), required=False,
                          help_text=_("Codes ou débuts de codes (ex. 88.99B 94.99Z 88)."))
    legal_forms = forms.CharField(label=_("SIRENE : catégories juridiques"), required=False,
                                  help_text=_("Si le fichier a la colonne categorieJuridiqueUniteLegale "
                                              "(ex. 92 5458)."))

    def clean_departements(self):
        codes = [c.upper() for c in _codes(self.cleaned_data["departements"])]
        if bad := [c for c in codes if not re.fullmatch(r"\d[\dAB]\d?", c)]:
            raise ValidationError(_("Code de département invalide : %(c)s.") % {"c": ", ".join(bad)[:40]})
        return codes

    def options(self) -> dict:
        return {"unpublished": self.cleaned_data["unpublished"], "departements": self.cleaned_data["departements"],
                "naf": _codes(self.cleaned_data["naf"]), "legal_forms": _codes(self.cleaned_data["legal_forms"])}
