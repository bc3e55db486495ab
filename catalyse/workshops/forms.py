import re

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from catalyse.events.models import Event

from .models import CODE_LENGTH, DEFAULT_COLUMNS, Board, Card, ShowAs
from .queries import sessions_of
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


class BoardSettingsForm(forms.Form):
    """A board's subject and group, and where it belongs: one of `events` (those the person organises) and one
    of its sessions. A plain select of "event — session" grouped by event: it works without JavaScript. That
    the session belongs to the event is the model's rule (Board.clean), said on the session field."""

    title = forms.CharField(label=_("Sujet"), max_length=200)
    group_name = forms.CharField(label=_("Groupe (facultatif)"), max_length=120, required=False)
    event = forms.ModelChoiceField(
        label=_("Événement (facultatif)"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("Aucun"),
        help_text=_("La synthèse du tableau rejoindra celle de l'événement. Seuls vos événements sont proposés."),
    )
    session = forms.TypedChoiceField(
        label=_("Séquence du programme (facultatif)"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Sans événement choisi, le tableau rejoint celui de la séquence."),
    )

    def __init__(self, *args, events: QuerySet[Event], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        self.sessions = {s.pk: s for s in sessions_of(events)}
        groups: dict[Event, list[tuple[int, str]]] = {}
        for s in self.sessions.values():
            groups.setdefault(s.event, []).append((s.pk, f"{s.event.title} — {s.title}"))
        self.fields["session"].choices = [("", _("Aucune")), *((e.title, choices) for e, choices in groups.items())]

    def prefill(self, query: QueryDict) -> None:
        """`?session=<id>` or `?evenement=<slug>` preselects them, if offered (the person's events only)."""
        pk, slug = query.get("session", ""), query.get("evenement", "")
        if pk.isdigit() and (session := self.sessions.get(int(pk))):
            self.initial.update(event=session.event_id, session=session.pk)
        elif slug and (event := self.fields["event"].queryset.filter(slug=slug).first()):
            self.initial["event"] = event.pk

    def clean_session(self):
        pk = self.cleaned_data["session"]
        return self.sessions[pk] if pk is not None else None


class BoardForm(BoardSettingsForm):
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
