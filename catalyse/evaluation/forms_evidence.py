"""The evidence form of the pages: the same fields and rules as the API (the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Evidence, EvidenceKind, Indicator, Measurement, Objective


class EvidenceForm(forms.ModelForm):
    url = forms.URLField(label=_("Lien"), required=False, max_length=200, assume_scheme="https",
                         help_text=_("Pour un lien : l'adresse complète (https://…)."))
    indicators = forms.ModelMultipleChoiceField(Indicator.objects.none(), required=False,
                                                widget=forms.CheckboxSelectMultiple, label=_("Indicateurs étayés"))
    objectives = forms.ModelMultipleChoiceField(Objective.objects.none(), required=False,
                                                widget=forms.CheckboxSelectMultiple, label=_("Objectifs étayés"))
    measurements = forms.ModelMultipleChoiceField(Measurement.objects.none(), required=False,
                                                  widget=forms.SelectMultiple(attrs={"size": 6}),
                                                  label=_("Mesures étayées"))

    class Meta:
        model = Evidence
        fields = ["kind", "title", "text", "speaker_role", "file", "source", "tags", "consent",
                  "image_rights", "anonymised", "indicators", "objectives", "measurements", "is_public"]
        widgets = {"kind": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "text": _("Pour un verbatim : les propos cités ; pour un chiffre : le chiffre et ce qu'il compte."),
            "speaker_role": _("Pour un verbatim : le rôle de la personne (« habitante », « élu »), pas son nom."),
            "file": _("Photo : PNG, JPEG ou WebP. Document : PDF, ODT, ODS, DOCX, XLSX, CSV, TXT ou image. "
                      "10 Mo au plus."),
            "tags": _("Séparés par des virgules."),
            "consent": _("Obligatoire pour publier un verbatim."),
            "image_rights": _("Obligatoire pour publier une photo."),
            "is_public": _("Visible de tous ceux qui voient l'initiative ; sinon des seuls partenaires."),
        }

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["kind", "title", "text", "speaker_role", "file", "url"])
        if self.instance.pk:
            self.initial.setdefault("url", self.instance.url)
        self.fields["kind"].choices = EvidenceKind.choices
        self.fields["indicators"].queryset = Indicator.objects.filter(initiative=initiative)
        self.fields["objectives"].queryset = Objective.objects.filter(initiative=initiative)
        self.fields["measurements"].queryset = Measurement.objects.filter(
            indicator__initiative=initiative).select_related("indicator").order_by("indicator__name", "-period_end")
        self.fields["measurements"].label_from_instance = lambda m: f"{m.indicator.name} · {m.period_start:%d/%m/%Y}" \
                                                                    f" – {m.period_end:%d/%m/%Y}"

    def _post_clean(self):
        # The services check and save (kind rules, consent, image rights, file content): not the model form.
        pass

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        upload = data.pop("file", None)
        if upload is False:
            data["file"] = ""  # the "clear" box
        elif upload is not None and hasattr(upload, "content_type"):
            data["file"] = upload
        return data


class EvidenceFilter(forms.Form):
    type = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("Tous les types")), *EvidenceKind.choices])
    mot = forms.CharField(label=_("Mot-clé"), required=False, max_length=100)
    indicateur = forms.TypedChoiceField(label=_("Indicateur"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, indicators, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicateur"].choices = [("", _("Tous les indicateurs")), *((i.pk, i.name) for i in indicators)]
        self.tags = tags
