import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FORMAT_CHOICES = [
    ("csv", _("Modèle CSV (séparateur ; ou ,)")),
    ("xlsx", _("Modèle XLSX (Excel, LibreOffice)")),
    ("rna", _("Export RNA des associations (waldec, fichier CSV par département)")),
    ("sirene", _("Stock SIRENE des établissements (StockEtablissement, CSV)")),
]
MAX_UPLOAD_BYTES = 1024 * 1024 * 1024  # a national RNA export fits; the full SIRENE stock goes through the command


def _codes(value: str) -> list[str]:
    return [c for c in re.split(r"[\s,;]+", value or "") if c]


class ImportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
    file = forms.FileField(label=_("Fichier"))
    dry_run = forms.BooleanField(label=_("Simulation : vérifier et compter sans rien enregistrer"), required=False)
    unpublished = forms.BooleanField(label=_("Ne pas publier : les nouvelles fiches attendent la modération"),
                                     required=False)
    departements = forms.CharField(label=_("Départements à garder"), required=False,
                                   help_text=_("Codes séparés par des espaces (ex. 62 59 974). Vide : tous."))
    naf = forms.CharField(label=_("SIRENE : codes d'activité (NAF)"), required=False,
                          help_text=_("Codes ou débuts de codes (ex. 88.99B 94.99Z 88)."))
    legal_forms = forms.CharField(label=_("SIRENE : catégories juridiques"), required=False,
                                  help_text=_("Si le fichier a la colonne categorieJuridiqueUniteLegale "
                                              "(ex. 92 5458)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Fichier trop volumineux pour l'envoi en ligne : utilisez la commande "
                                    "import_organisations."))
        return upload

    def clean_departements(self):
        codes = [c.upper() for c in _codes(self.cleaned_data["departements"])]
        if bad := [c for c in codes if not re.fullmatch(r"\d[\dAB]\d?", c)]:
            raise ValidationError(_("Code de département invalide : %(c)s.") % {"c": ", ".join(bad)[:40]})
        return codes

    def clean(self):
        data = super().clean()
        upload, fmt = data.get("file"), data.get("format")
        if upload and fmt:
            head = upload.read(4096)
            upload.seek(0)
            if fmt == "xlsx" and not head.startswith(b"PK\x03\x04"):
                self.add_error("file", _("Ce fichier n'est pas un classeur XLSX."))
            elif fmt != "xlsx" and (b"\x00" in head or head.startswith(b"PK\x03\x04")):
                self.add_error("file", _("Ce fichier n'est pas un fichier texte CSV (un ZIP ? décompressez-le)."))
        return data

    def options(self) -> dict:
        return {"unpublished": self.cleaned_data["unpublished"], "departements": self.cleaned_data["departements"],
                "naf": _codes(self.cleaned_data["naf"]), "legal_forms": _codes(self.cleaned_data["legal_forms"])}
