"""The synthesis form: the question, three proposal slots (an empty slot is no proposal), each citing cards
by their reference on the board ("B3, A1") and examples by the address of their page, one per line."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Organisation
from catalyse.core import permissions
from catalyse.core.concurrency import VersionField
from catalyse.initiatives.models import Initiative

from .models import Board, Card
from .models_synthesis import MAX_PROPOSALS, QUESTION, Synthesis
from .queries import REFERENCE, card_reference, references_of
from .queries_synthesis import supporting_cards
from .services_synthesis import ProposalInput

# "/initiatives/<slug>/" or "/organisations/<slug>/", with or without the site's address in front.
EXAMPLE = re.compile(r"^(?:https?://[^/\s]+)?/?(initiatives|organisations)/([\w-]+)/?(?:[?#]\S*)?$")


class SynthesisForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200, initial=QUESTION)
    publish = forms.BooleanField(
        label=_("Publier la synthèse (visible de tous sur la page de l'événement)"), required=False
    )
    version = VersionField()

    def __init__(self, *args, board: Board, user, synthesis: Synthesis | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.board, self.user = board, user
        for n in range(1, MAX_PROPOSALS + 1):
            self.fields[f"text_{n}"] = forms.CharField(
                label=_("Texte de la proposition %(n)s") % {"n": n},
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"cards_{n}"] = forms.CharField(
                label=_("Cartes d'appui de la proposition %(n)s") % {"n": n},
                help_text=_("Leurs références sur le tableau, séparées par des virgules : B3, A1."),
                max_length=300,
                required=False,
            )
            self.fields[f"examples_{n}"] = forms.CharField(
                label=_("Exemples de la proposition %(n)s") % {"n": n},
                help_text=_("L'adresse d'une page d'initiative ou d'organisation par ligne."),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if synthesis is not None:
            self._fill(synthesis)

    def slots(self) -> list[tuple[int, list[forms.BoundField]]]:
        """The proposal slots, each with its text, cards and examples fields (one fieldset each)."""
        names = ("text_{}", "cards_{}", "examples_{}")
        return [(n, [self[name.format(n)] for name in names]) for n in range(1, MAX_PROPOSALS + 1)]

    def _fill(self, synthesis: Synthesis) -> None:
        letters = references_of(self.board)
        self.initial.update(question=synthesis.question, publish=synthesis.is_published, version=synthesis.version)
        for proposal in synthesis.proposals.all():
            n = proposal.position
            self.initial[f"text_{n}"] = proposal.text
            self.initial[f"cards_{n}"] = ", ".join(card_reference(c, letters) for c in supporting_cards(proposal))
            examples = [i.get_absolute_url() for i in proposal.initiatives.all()]
            examples += [o.get_absolute_url() for o in proposal.organisations.all()]
            self.initial[f"examples_{n}"] = "\n".join(examples)

    def _cards(self, n: int) -> list[Card]:
        raw = self.cleaned_data.get(f"cards_{n}", "")
        numbers = [int(m.group(2)) for m in REFERENCE.finditer(raw)]
        leftover = REFERENCE.sub("", raw).replace(",", " ").replace(";", " ").strip()
        found = Card.objects.filter(board=self.board, number__in=numbers).select_related("merged_into")
        cards = {c.number: c for c in found}
        unknown = [str(number) for number in numbers if number not in cards]
        if leftover or unknown:
            self.add_error(
                f"cards_{n}",
                _("Références non reconnues (%(refs)s) : écrivez-les comme sur le tableau, par exemple B3.")
                % {"refs": ", ".join(unknown) or leftover},
            )
        # A merged card is hidden from the board and its votes went to the card that absorbed it: cite that one.
        merged = [c for c in cards.values() if c.merged_into_id]
        if merged:
            letters = references_of(self.board)
            for card in merged:
                self.add_error(
                    f"cards_{n}",
                    _("La carte %(card)s a été fusionnée dans la carte %(into)s : citez %(into)s.")
                    % {"card": card_reference(card, letters), "into": card_reference(card.merged_into, letters)},
                )
        return [card for number in dict.fromkeys(numbers) if (card := cards.get(number)) and not card.merged_into_id]

    def _examples(self, n: int) -> tuple[list[Initiative], list[Organisation]]:
        initiatives, organisations, unknown = [], [], []
        models = {
            "initiatives": (Initiative, initiatives),
            "organisations": (Organisation, organisations),
        }
        for line in self.cleaned_data.get(f"examples_{n}", "").splitlines():
            if not line.strip():
                continue
            match = EXAMPLE.match(line.strip())
            found = None
            if match:
                model, into = models[match.group(1)]
                found = permissions.visible_queryset(self.user, model.objects.all()).filter(slug=match.group(2)).first()
            if found is None:
                unknown.append(line.strip())
            elif found not in into:
                into.append(found)
        if unknown:
            self.add_error(
                f"examples_{n}",
                _("Pages introuvables : %(lines)s. Collez l'adresse d'une initiative ou d'une organisation.")
                % {"lines": " ; ".join(unknown)},
            )
        return initiatives, organisations

    def clean(self):
        cleaned = super().clean()
        self.proposals: list[ProposalInput] = []
        for n in range(1, MAX_PROPOSALS + 1):
            cards, (initiatives, organisations) = self._cards(n), self._examples(n)
            text = cleaned.get(f"text_{n}", "").strip()
            if text:
                self.proposals.append(ProposalInput(text, cards, initiatives, organisations))
            elif cards or initiatives or organisations:
                self.add_error(f"text_{n}", _("Écrivez la proposition que ces cartes et exemples appuient."))
        if cleaned.get("publish") and not self.proposals:
            self.add_error("publish", _("Écrivez au moins une proposition avant de publier la synthèse."))
        return cleaned
