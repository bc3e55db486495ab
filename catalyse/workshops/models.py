"""Workshop boards: one per session and subject, with columns of cards written by participants and +1 votes.

Participants join with the board's short code and a name or initials, without an account; facilitators have
an account. Every write bumps `Board.version` and stamps the cards it touches with it (`Card.changed_version`),
so that a client polling `since=<version>` gets exactly what changed (docs/workshops.md).
"""

from __future__ import annotations

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Codes are typed from a projected slide: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "0O1IL2Z5S8B")
CODE_LENGTH = 6
DEFAULT_COLUMNS = ("Besoins", "Pratiques", "Ce que je ne referais pas")


class BoardStatus(models.TextChoices):
    OPEN = "open", _("ouvert")
    CLOSED = "closed", _("clos")


class Board(models.Model):
    title = models.CharField(_("sujet"), max_length=200)
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("événement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="boards",
    )
    session = models.ForeignKey(
        "events.Session",
        verbose_name=_("séquence du programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="boards",
    )
    group_name = models.CharField(_("groupe"), max_length=120, blank=True)
    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    status = models.CharField(_("état"), max_length=8, choices=BoardStatus.choices, default=BoardStatus.OPEN)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("animateurs"), blank=True, related_name="facilitated_boards"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=0)  # bumped by every write on the board
    next_card_number = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.group_name})" if self.group_name else self.title

    def clean(self) -> None:
        if self.session_id and self.event_id and self.session.event_id != self.event_id:
            raise ValidationError(
                {
                    "session": _(
                        "La séquence « %(session)s » appartient à un autre événement que « %(event)s » : choisissez "
                        "une séquence de cet événement, ou aucun événement pour prendre celui de la séquence."
                    )
                    % {"session": self.session, "event": self.event}
                }
            )

    @property
    def is_open(self) -> bool:
        return self.status == BoardStatus.OPEN


class Column(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="columns")
    title = models.CharField(_("titre"), max_length=80)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class ShowAs(models.TextChoices):
    INITIALS = "initials", _("mon nom ou mes initiales")
    ORGANISATION = "organisation", _("mon organisation")


class Participant(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="participants")
    display_name = models.CharField(_("nom ou initiales"), max_length=40)
    organisation = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_label = models.CharField(_("organisation"), max_length=120, blank=True)
    show_as = models.CharField(
        _("sous les cartes, afficher"), max_length=12, choices=ShowAs.choices, default=ShowAs.INITIALS
    )
    # Set when a signed-in person joins: their GDPR export lists it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_participations",
    )
    token = models.CharField(max_length=43, unique=True)  # the secret behind the signed cookie / API header
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What cards show as their author, as the participant chose."""
        organisation = self.organisation.name if self.organisation_id else self.organisation_label
        if self.show_as == ShowAs.ORGANISATION and organisation:
            return organisation
        return self.display_name


class Card(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="cards")
    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="cards")
    # Board-wide and never reused: "B3" is card 3, shown in column B; a reference resolves by its number.
    number = models.PositiveIntegerField()
    text = models.TextField(_("texte"), max_length=500)
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="cards")
    # The authors of the cards merged into this one (the author of each stays on its own, hidden, card).
    coauthors = models.ManyToManyField(Participant, blank=True, related_name="coauthored_cards")
    pinned = models.BooleanField(_("épinglée"), default=False)
    order = models.IntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_cards"
    )
    changed_version = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pinned", "order", "number"]
        constraints = [models.UniqueConstraint(fields=["board", "number"], name="workshops_card_number_unique")]
        indexes = [models.Index(fields=["board", "changed_version"], name="workshops_card_changes")]

    def __str__(self) -> str:
        return f"#{self.number} {self.text[:40]}"


class Vote(models.Model):
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # One +1 per participant and card: two simultaneous clicks meet this constraint, not a race.
        constraints = [models.UniqueConstraint(fields=["card", "participant"], name="workshops_vote_once")]

    def __str__(self) -> str:
        return f"+1 {self.participant_id} → {self.card_id}"


# The syntheses' models live in their own module; importing it here lets Django find them.
from .models_synthesis import Proposal, Synthesis  # noqa: E402, F401
