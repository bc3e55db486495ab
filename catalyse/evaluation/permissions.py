"""Who sees, edits and reviews an initiative's evaluation. Visibility is a filter in the query, as everywhere.

- insiders of the initiative — people of its partner organisations, its creator and editors, its evaluation
  leads — see everything of its evaluation; animators see everything anywhere (core);
- anyone who may see the initiative sees what is published item by item (`is_public`); a measurement is
  public once approved and its indicator published;
- partners and editors of the initiative edit its objectives, indicators, measurements and evidence;
  the framework (approach, tiers, leads) is its editors' decision;
- reviewing measurements (approve, return) and locking periods belongs to the evaluation leads
  (`Framework.leads`) and animators.
"""

from django.db.models import Q

from catalyse.core import files, permissions
from catalyse.initiatives.models import Initiative
from catalyse.initiatives.permissions import initiative_policy, partner_initiative_ids

from .models import (
    ChangePath,
    ChangeVision,
    ConductRule,
    EngagementLevel,
    Evidence,
    FatItem,
    Framework,
    Indicator,
    JournalEntry,
    MaturityQuestionnaire,
    MaturityResponse,
    MaturityWave,
    Measurement,
    MeasurementStatus,
    MobilisationEvent,
    Objective,
    SenseMakingSession,
    SroiEstimate,
)


def lead_initiative_ids(user):
    """Initiatives whose evaluation `user` leads (a subquery)."""
    return Framework.objects.filter(leads=user).values("initiative_id")


def insider_initiative_ids(user):
    """Initiatives whose whole evaluation `user` may see: partner, creator or evaluation lead (a subquery)."""
    return Initiative.objects.filter(
        Q(pk__in=partner_initiative_ids(user)) | Q(created_by=user) | Q(pk__in=lead_initiative_ids(user))
    ).values("pk")


def visible_initiative_ids(user):
    q = initiative_policy.visible_q(user)
    return (Initiative.objects.filter(q) if q is not None else Initiative.objects.all()).values("pk")


def is_insider(user, initiative: Initiative) -> bool:
    return permissions.is_animator(user) or (
        permissions.is_member(user) and Initiative.objects.filter(pk=initiative.pk,
                                                                   pk__in=insider_initiative_ids(user)).exists())


def can_contribute(user, initiative: Initiative) -> bool:
    """Partners and editors of the initiative write its evaluation (objectives, indicators, measurements)."""
    if not permissions.is_member(user):
        return False
    return permissions.is_animator(user) or initiative_policy.can_edit(user, initiative) or (
        Initiative.objects.filter(pk=initiative.pk, pk__in=partner_initiative_ids(user)).exists())


def can_review(user, initiative: Initiative) -> bool:
    """Approve or return measurements, lock periods: the evaluation leads and animators."""
    return permissions.is_animator(user) or (
        permissions.is_member(user) and Framework.objects.filter(initiative=initiative, leads=user).exists())


def evaluation_roles(user, initiative: Initiative) -> set[str]:
    """The initiative policy's EVALUATION_LEAD role, registered from here (initiatives does not know Framework)."""
    if permissions.is_member(user) and Framework.objects.filter(initiative=initiative, leads=user).exists():
        return {permissions.EVALUATION_LEAD}
    return set()


class EvaluationPartPolicy(permissions.Policy):
    """Objectives, indicators and evidence: the insiders', and the published ones of visible initiatives."""

    initiative_path = "initiative"

    def _in(self, ids) -> Q:
        return Q(**{f"{self.initiative_path}__in": ids})

    def public_q(self) -> Q:
        return Q(is_public=True)

    def visible_q(self, user):
        public = self.public_q() & self._in(visible_initiative_ids(user))
        if not permissions.is_member(user):
            return public
        return public | self._in(insider_initiative_ids(user))

    def initiative_of(self, obj) -> Initiative:
        return obj.initiative

    def can_edit(self, user, obj) -> bool:
        return can_contribute(user, self.initiative_of(obj))


class MeasurementPolicy(EvaluationPartPolicy):
    initiative_path = "indicator__initiative"

    def public_q(self) -> Q:
        return Q(status=MeasurementStatus.APPROVED, indicator__is_public=True)

    def initiative_of(self, obj) -> Initiative:
        return obj.indicator.initiative


class FrameworkPolicy(EvaluationPartPolicy):
    """The approach and tier names frame what is published: seen with the initiative; set by its editors."""

    def public_q(self) -> Q:
        return Q()

    def can_edit(self, user, obj) -> bool:
        return initiative_policy.can_edit(user, obj.initiative)


for model in (Objective, Indicator, Evidence):
    permissions.register(model, EvaluationPartPolicy())
permissions.register(Measurement, MeasurementPolicy())
permissions.register(Framework, FrameworkPolicy())
permissions.register_object_roles(Initiative, evaluation_roles)
# Evidence files are sent to those who may see the evidence: an unpublished item's file to insiders only.
files.register(Evidence, "file")


# Part 2: items published with co-validation (see publication.py) --------------------------------------------------

class CoValidatedPolicy(EvaluationPartPolicy):
    """Insiders see everything of their initiatives; others what is published (`is_public`, set only once every
    concerned partner approved), in initiatives they may see. Editing follows part 1: partners and editors."""

    def __init__(self, initiative_path: str = "initiative", public_path: str = "is_public"):
        self.initiative_path = initiative_path
        self.public_path = public_path

    def public_q(self) -> Q:
        return Q(**{self.public_path: True})

    def initiative_of(self, obj) -> Initiative:
        return obj.publication_initiative() if hasattr(obj, "publication_initiative") else obj.wave.initiative


class QuestionnairePolicy(FrameworkPolicy):
    """The maturity questionnaire is seen with its initiative and is the partners' shared tool: they edit it."""

    def can_edit(self, user, obj) -> bool:
        return can_contribute(user, obj.initiative)


for model in (MobilisationEvent, EngagementLevel, MaturityWave):
    permissions.register(model, CoValidatedPolicy())
# A response is seen with its wave: by the insiders, or by all once the wave is published.
permissions.register(MaturityResponse, CoValidatedPolicy("wave__initiative", "wave__is_public"))
permissions.register(MaturityQuestionnaire, QuestionnairePolicy())


class JournalEntryPolicy(CoValidatedPolicy):
    """An outsider sees a journal entry once both it and its change path are published."""

    def public_q(self) -> Q:
        return Q(is_public=True, path__is_public=True)


for model in (ChangeVision, ChangePath, ConductRule, FatItem, SenseMakingSession, SroiEstimate):
    permissions.register(model, CoValidatedPolicy())
permissions.register(JournalEntry, JournalEntryPolicy("path__initiative"))
