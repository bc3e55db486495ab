"""Syntheses: what each workshop group retains from its board — "Qu'avons-nous inventé ensemble ?" — as at
most three proposals, each backed by cards of the board and by examples (initiatives, organisations).

A board has at most one synthesis; its facilitators write it and publish it. The event's synthesis page
gathers the published syntheses of the event's boards (docs/syntheses.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Board, Card

MAX_PROPOSALS = 3
QUESTION = "Qu'avons-nous inventé ensemble ?"


class SynthesisStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    PUBLISHED = "published", _("publiée")


class Synthesis(models.Model):
    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="synthesis")
    question = models.CharField(_("question"), max_length=200, default=QUESTION)
    status = models.CharField(
        _("publication"), max_length=10, choices=SynthesisStatus.choices, default=SynthesisStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("synthèse")
        verbose_name_plural = _("synthèses")

    def __str__(self) -> str:
        return str(self.board)

    def get_absolute_url(self) -> str:
        return reverse("syntheses:board", args=[self.board_id])

    @property
    def is_published(self) -> bool:
        return self.status == SynthesisStatus.PUBLISHED


class Proposal(models.Model):
    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="proposals")
    position = models.PositiveSmallIntegerField(_("rang"))  # 1, 2 or 3: the database holds no fourth
    text = models.TextField(_("proposition"), max_length=1000)
    cards = models.ManyToManyField(Card, blank=True, related_name="proposals", verbose_name=_("cartes d'appui"))
    initiatives = models.ManyToManyField(
        "initiatives.Initiative", blank=True, related_name="workshop_proposals", verbose_name=_("initiatives")
    )
    organisations = models.ManyToManyField(
        "actors.Organisation", blank=True, related_name="workshop_proposals", verbose_name=_("organisations")
    )

    class Meta:
        ordering = ["synthesis", "position"]
        constraints = [
            models.UniqueConstraint(fields=["synthesis", "position"], name="workshops_proposal_position_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_PROPOSALS), name="workshops_proposal_at_most_three"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"
