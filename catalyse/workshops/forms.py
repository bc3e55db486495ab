from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CODE_LENGTH, DEFAULT_COLUMNS, ShowAs
from .services import CARD_TEXT_MAX


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code du tableau"),
        max_length=12,
        help_text=_("Les six caractères affichés par l'animateur, par exemple K7RT4M."),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).upper()
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(_("Un code compte six caractères."))
        return code


class JoinForm(forms.Form):
    display_name = forms.CharField(label=_("Votre nom ou vos initiales"), max_length=40)
    organisation_label = forms.CharField(label=_("Votre organisation (facultatif)"), max_length=120, required=False)
    show_as = forms.ChoiceField(
        label=_("Sous vos cartes, afficher"), choices=ShowAs.choices, initial=ShowAs.INITIALS, widget=forms.RadioSelect
    )


class CardForm(forms.Form):
    text = forms.CharField(
        label=_("Votre carte"),
        max_length=CARD_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Citez une autre carte par sa référence, par exemple B3."),
    )
    column = forms.IntegerField(widget=forms.HiddenInput)


class BoardForm(forms.Form):
    title = forms.CharField(label=_("Sujet"), max_length=200)
    group_name = forms.CharField(label=_("Groupe (facultatif)"), max_length=120, required=False)
    columns = forms.CharField(
        label=_("Colonnes, une par ligne"), widget=forms.Textarea(attrs={"rows": 3}), initial="\n".join(DEFAULT_COLUMNS)
    )

    def clean_columns(self) -> list[str]:
        titles = [line.strip() for line in self.cleaned_data["columns"].splitlines() if line.strip()]
        if not 1 <= len(titles) <= 8:
            raise forms.ValidationError(_("Entre une et huit colonnes."))
        return titles


class MoveForm(forms.Form):
    column = forms.IntegerField(label=_("Colonne"))
    position = forms.IntegerField(label=_("Position"), min_value=1, required=False)


class MergeForm(forms.Form):
    keep = forms.IntegerField(label=_("Garder la carte n°"), min_value=1)
    merge = forms.IntegerField(label=_("Y fusionner la carte n°"), min_value=1)
