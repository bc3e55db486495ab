import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CODE_LENGTH, DEFAULT_COLUMNS, Board, Card, ShowAs
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


# A card as the board shows it, "B3" ("b 3" and "#3" too), or its bare number. The letter is a reading aid
# (the card's column now, which a co-facilitator may just have changed): the number alone identifies the card.
CARD = re.compile(r"(?:[A-Za-z]|#)?(\d{1,5})")


class MergeForm(forms.Form):
    """Two cards of `board` by their references; cleaned, `keep` and `merge` are the cards (one query). The
    board's page writes its inputs itself, with these labels."""

    keep = forms.CharField(
        label=_("Carte gardée"),
        max_length=12,
        error_messages={"required": _("Indiquez la référence de la carte gardée, par exemple B3.")},
    )
    merge = forms.CharField(
        label=_("Carte à y fusionner"),
        max_length=12,
        error_messages={"required": _("Indiquez la référence de la carte à fusionner, par exemple B5.")},
    )

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board

    def _number(self, name: str) -> int:
        typed = self.cleaned_data[name]
        match = CARD.fullmatch("".join(typed.split()))
        if match is None:
            raise forms.ValidationError(
                _("« %(typed)s » n'est pas une référence de carte : écrivez-la comme sur le tableau, par exemple B3."),
                params={"typed": typed.strip()},
            )
        return int(match.group(1))

    def clean_keep(self) -> int:
        return self._number("keep")

    def clean_merge(self) -> int:
        return self._number("merge")

    def clean(self):
        cleaned = super().clean()
        numbers = {name: cleaned[name] for name in ("keep", "merge") if name in cleaned}
        cards = {c.number: c for c in Card.objects.filter(board=self.board, number__in=numbers.values())}
        for name, number in numbers.items():
            if number in cards:
                cleaned[name] = cards[number]
            else:
                typed = "".join(self.data[name].split()).upper()
                self.add_error(name, _("Ce tableau n'a pas de carte %(typed)s.") % {"typed": typed})
        return cleaned
