"""The upload form of every import page: format, file, dry run. An import kind adds its own options by
subclassing it (and returning them from `options()`). A kind that asks for a column mapping before the run
also subclasses `MappingForm` (see `core.import_preview`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .import_preview import Preview
from .imports import MB, Importer


class ImportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"))
    file = forms.FileField(label=_("Fichier"))
    dry_run = forms.BooleanField(label=_("Simulation : vérifier et compter sans rien enregistrer"), required=False)

    def __init__(self, *args, importers: dict[str, type[Importer]], **kwargs):
        super().__init__(*args, **kwargs)
        self.importers = importers
        self.fields["format"].choices = [(fmt, importer.label) for fmt, importer in importers.items()]

    def clean(self):
        data = super().clean()
        upload, fmt = data.get("file"), data.get("format")
        if upload and fmt:
            importer = self.importers[fmt]
            if upload.size > importer.max_upload_bytes:
                self.add_error("file", _("Fichier trop volumineux pour ce format (%(mb)d Mo au plus) : utilisez la "
                                         "commande d'import.") % {"mb": importer.max_upload_bytes // MB})
                return data
            head = upload.read(4096)
            upload.seek(0)
            if importer.spreadsheet and not head.startswith(b"PK\x03\x04"):
                self.add_error("file", _("Ce fichier n'est pas un classeur XLSX."))
            elif not importer.spreadsheet and (b"\x00" in head or head.startswith(b"PK\x03\x04")):
                self.add_error("file", _("Ce fichier n'est pas un fichier texte CSV (un ZIP ? décompressez-le)."))
        return data

    def options(self) -> dict:
        """The importer's options, stored on the run."""
        return {}


class MappingForm(forms.Form):
    """The preview step's form: how the file's columns map to what is imported, confirmed or changed by the
    person before the run. Subclasses build their fields from `self.preview.header` and `self.upload_options`,
    set their initial values from what they detect (and may add `self.preview.facts`), and return the run's
    extra options from `options()`."""

    def __init__(self, *args, preview: Preview, upload_options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview = preview
        self.upload_options = upload_options
        self.column_choices = [(h, h) for h in preview.header if h]

    def options(self) -> dict:
        return {}
