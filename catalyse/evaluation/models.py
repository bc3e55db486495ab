"""The evaluation of an alliance (an initiative): its approach, objectives tree, indicators with versioned
definitions, measurements under review, and the evidence library.

An indicator's *definition* (what is measured, how it is computed, scale, direction, cumulation, baseline,
targets) lives in `IndicatorVersion` rows: changing it writes a new version with its reason, and every
measurement stays attached to the version it was taken under. What does not change the meaning of the
figures (name, unit, owner, family, key flag…) stays on `Indicator`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Organisation
from catalyse.initiatives.models import Initiative, Role

DEFAULT_TIERS = ["Finalité", "Objectif stratégique", "Objectif opérationnel", "Activité"]
INDICATORS_WARNING_ABOVE = 5  # "too many indicators kill information": a warning above five active ones
NUMBER = {"max_digits": 18, "decimal_places": 4}


def default_tiers() -> list[str]:
    return list(DEFAULT_TIERS)


class Approach(models.TextChoices):
    LOGFRAME = "logframe", _("Cadre logique")
    SMALL_STEPS = "petits_pas", _("Petits pas (le chemin parcouru est le premier objectif)")
    CHANGE = "change", _("Orientée changement")


class Framework(models.Model):
    """One per initiative: how its partners chose to evaluate it, and who leads the evaluation."""

    initiative = models.OneToOneField(Initiative, models.CASCADE, related_name="evaluation")
    approach = models.CharField(_("démarche"), max_length=12, choices=Approach.choices, default=Approach.LOGFRAME)
    tier_names = models.JSONField(_("noms des niveaux"), default=default_tiers)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="evaluations_led",
                                   verbose_name=_("responsables de l'évaluation"))
    # Measurements whose period ends on or before this date can no longer be added, changed or reviewed.
    locked_until = models.DateField(_("périodes verrouillées jusqu'au"), null=True, blank=True)

    def __str__(self) -> str:
        return f"Évaluation de {self.initiative}"


class Objective(models.Model):
    """A node of the objectives tree: collective (no owner) or owned by one partner organisation."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="objectives")
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True, related_name="children")
    tier = models.PositiveSmallIntegerField(_("niveau"), default=0)  # index in Framework.tier_names
    title = models.CharField(_("intitulé"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    assumptions = models.TextField(_("hypothèses"), blank=True)
    owner = models.ForeignKey(Organisation, models.SET_NULL, null=True, blank=True, related_name="objectives",
                              verbose_name=_("partenaire porteur (vide : objectif collectif)"))
    # A partner's objective may claim a contribution to a collective one (contribution, not attribution).
    contributes_to = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="contributions")
    contribution = models.TextField(_("récit de la contribution"), blank=True)
    position = models.PositiveIntegerField(default=0)
    is_public = models.BooleanField(_("publié"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["initiative", "tier", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_collective(self) -> bool:
        return self.owner_id is None


class Measure(models.TextChoices):
    NUMBER = "number", _("Nombre")
    PERCENTAGE = "percentage", _("Pourcentage")
    SCALE = "scale", _("Échelle ordinale")


class Direction(models.TextChoices):
    INCREASE = "increase", _("À la hausse")
    DECREASE = "decrease", _("À la baisse")


class Cumulation(models.TextChoices):
    NONE = "none", _("Chaque valeur vaut pour elle-même")
    CUMULATIVE = "cumulative", _("Les valeurs s'additionnent")
    CUMULATIVE_LATEST = "cumulative_latest", _("Chaque valeur est déjà un total cumulé")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Mensuelle")
    QUARTERLY = "quarterly", _("Trimestrielle")
    HALF_YEARLY = "half_yearly", _("Semestrielle")
    YEARLY = "yearly", _("Annuelle")
    ONCE = "once", _("Ponctuelle")


class ImpactFamily(models.TextChoices):
    PERFORMANCE = "performance", _("Performance")
    INNOVATION = "innovation", _("Innovation")
    CONFIANCE = "confiance", _("Confiance")


class Dimension(models.TextChoices):
    POLITICAL = "political", _("Politique")
    ECONOMIC = "economic", _("Économique")
    SOCIAL = "social", _("Sociale")
    ENVIRONMENTAL = "environmental", _("Environnementale")
    SOCIETAL = "societal", _("Sociétale")
    PERSONAL = "personal", _("Épanouissement personnel")


class ReasonCategory(models.TextChoices):
    ADAPTIVE = "adaptive_management", _("Pilotage adaptatif")
    CONTEXT = "context", _("Changement de contexte")
    BUDGET = "budget", _("Budget")
    DELAYS = "delays", _("Retards")
    FUNDER = "funder", _("Exigence d'un financeur")
    OTHER = "other", _("Autre")


class Indicator(models.Model):
    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="indicators")
    objective = models.ForeignKey(Objective, models.SET_NULL, null=True, blank=True, related_name="indicators")
    name = models.CharField(_("nom"), max_length=200)
    unit = models.CharField(_("unité"), max_length=50, blank=True)
    owner = models.ForeignKey(Organisation, models.SET_NULL, null=True, blank=True, related_name="indicators",
                              verbose_name=_("partenaire responsable (vide : le collectif)"))
    impact_family = models.CharField(_("famille d'impact"), max_length=12, choices=ImpactFamily.choices,
                                     default=ImpactFamily.PERFORMANCE)
    dimension = models.CharField(_("dimension"), max_length=14, choices=Dimension.choices, default=Dimension.SOCIAL)
    sdg_target = models.CharField(_("cible ODD"), max_length=8, blank=True, help_text=_("par exemple 11.3"))
    frequency = models.CharField(_("fréquence de collecte"), max_length=12, choices=Frequency.choices,
                                 default=Frequency.QUARTERLY)
    data_source = models.TextField(_("source des données"), blank=True)
    verification = models.TextField(_("moyens de vérification"), blank=True)
    key = models.BooleanField(_("indicateur clé"), default=False)
    active = models.BooleanField(_("suivi en cours"), default=True)
    is_public = models.BooleanField(_("publié"), default=False)
    current_version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["initiative", "-key", "name", "pk"]  # key indicators first everywhere

    def __str__(self) -> str:
        return self.name


class IndicatorVersion(models.Model):
    """One definition of an indicator, in force from its creation until the next version."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.TextField(_("définition"))
    computation = models.TextField(_("mode de calcul"))
    measure = models.CharField(_("mesure"), max_length=10, choices=Measure.choices, default=Measure.NUMBER)
    scale_levels = models.JSONField(_("niveaux de l'échelle"), default=list, blank=True)  # labels, level 1 first
    direction = models.CharField(_("sens"), max_length=8, choices=Direction.choices, default=Direction.INCREASE)
    cumulation = models.CharField(_("cumul"), max_length=17, choices=Cumulation.choices, default=Cumulation.NONE)
    # No baseline value means "not applicable" (computations then start from 0).
    baseline_value = models.DecimalField(_("valeur de référence"), null=True, blank=True, **NUMBER)
    baseline_date = models.DateField(_("date de référence"), null=True, blank=True)
    targets = models.JSONField(_("cibles datées"), default=list)  # [{"date": "YYYY-MM-DD", "value": "12.5"}], by date
    reason_category = models.CharField(_("motif"), max_length=20, choices=ReasonCategory.choices, blank=True)
    reason_text = models.TextField(_("explication du changement"), blank=True)
    decided_on = models.DateField(_("décidé le"), null=True, blank=True)
    participants = models.TextField(_("participants à la décision"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "number"]
        constraints = [models.UniqueConstraint(fields=["indicator", "number"], name="indicator_version_unique")]

    def __str__(self) -> str:
        return f"{self.indicator} v{self.number}"


class MeasurementStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumise")
    APPROVED = "approved", _("Validée")
    RETURNED = "returned", _("Renvoyée")


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="measurements")
    version = models.ForeignKey(IndicatorVersion, models.PROTECT, related_name="measurements")
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    value = models.DecimalField(_("valeur"), null=True, blank=True, **NUMBER)
    level = models.PositiveSmallIntegerField(_("niveau"), null=True, blank=True)  # scale indicators: 1..n
    comment = models.TextField(_("commentaire"), blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=MeasurementStatus.choices,
                              default=MeasurementStatus.DRAFT)
    review_note = models.TextField(_("note de relecture"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period_end", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="measurement_period_order"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(level__isnull=True),
                                   name="measurement_value_or_level"),
        ]
        indexes = [models.Index(fields=["indicator", "status", "period_end"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start}–{self.period_end}"


class Disaggregation(models.Model):
    """A part of a measurement's value: by partner, territory, gender, age band…"""

    measurement = models.ForeignKey(Measurement, models.CASCADE, related_name="disaggregations")
    dimension = models.CharField(_("dimension"), max_length=60)  # "genre"
    category = models.CharField(_("catégorie"), max_length=100)  # "femmes"
    value = models.DecimalField(_("valeur"), **NUMBER)

    class Meta:
        ordering = ["measurement", "dimension", "category"]
        constraints = [models.UniqueConstraint(fields=["measurement", "dimension", "category"],
                                               name="disaggregation_unique")]

    def __str__(self) -> str:
        return f"{self.dimension} : {self.category}"


class EvidenceKind(models.TextChoices):
    VERBATIM = "verbatim", _("Verbatim")
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    FIGURE = "figure", _("Chiffre")
    LINK = "link", _("Lien")


class Evidence(models.Model):
    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="evidence")
    kind = models.CharField(_("type"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte ou verbatim"), blank=True)
    speaker_role = models.CharField(_("rôle de la personne citée"), max_length=120, blank=True)
    file = models.FileField(_("fichier"), upload_to="evaluation/%Y/%m/", blank=True)
    url = models.URLField(_("lien"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    consent = models.BooleanField(_("consentement recueilli"), default=False)
    image_rights = models.BooleanField(_("droit à l'image accordé"), default=False)
    anonymised = models.BooleanField(_("anonymisé"), default=False)
    tags = models.CharField(_("mots-clés"), max_length=300, blank=True)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="evidence")
    objectives = models.ManyToManyField(Objective, blank=True, related_name="evidence")
    measurements = models.ManyToManyField(Measurement, blank=True, related_name="evidence")
    is_public = models.BooleanField(_("publié"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "-created_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title


# Part 2 ------------------------------------------------------------------------------------------------------------
# What no monitoring tool offers: the partnership itself is evaluated. Every item below is private to the partners
# until published, and an item that concerns a partner is published only once that partner approves
# (see publication.py).

class CoValidated(models.Model):
    """An item of part 2: private to the insiders of its initiative until published with co-validation.

    `concerns` names the partner organisation the item is about (its mobilisation, its answers…); empty for an
    item about the whole alliance. An item about several partners overrides `concerned_organisations()`.
    `is_public` is set only by `publication` services: never write it directly."""

    concerns = models.ForeignKey(Organisation, models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("partenaire concerné"))
    is_public = models.BooleanField(_("publié"), default=False, editable=False)
    publication_requested_at = models.DateTimeField(_("publication demandée le"), null=True, blank=True,
                                                    editable=False)
    publication_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                                 related_name="+", editable=False)

    class Meta:
        abstract = True

    def concerned_organisations(self) -> list[Organisation]:
        return [self.concerns] if self.concerns_id else []

    def publication_initiative(self) -> Initiative:
        return self.initiative


class PublicationApproval(models.Model):
    """A partner's consent to publish an item that concerns it. Given by a person of that organisation; an
    animator may give it on the partner's behalf only with a stated reason, shown next to the item."""

    content_type = models.ForeignKey("contenttypes.ContentType", models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="publication_approvals")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)
    on_behalf_reason = models.TextField(_("motif (accord donné par l'animation pour le partenaire)"), blank=True)

    class Meta:
        ordering = ["approved_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id", "organisation"],
                                               name="publication_approval_unique")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"Accord de {self.organisation}"


# Mobilisation log: who takes part, how much, and how that changes. The organisation stays, its people change:
# an event is about the organisation itself, or about one person representing it (named by function only).

class EventKind(models.TextChoices):
    INVITED = "invited", _("Invité")
    JOINED = "joined", _("Arrivée")
    LEFT = "left", _("Départ")
    RETURNED = "returned", _("Retour")
    ROLE_CHANGED = "role_changed", _("Changement de rôle")


class EventSubject(models.TextChoices):
    ORGANISATION = "organisation", _("L'organisation")
    PERSON = "person", _("Une personne qui la représente")


class MobilisationEvent(CoValidated):
    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="mobilisation_events")
    # `concerns` (CoValidated) is the partner organisation, required here.
    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("événement"), max_length=12, choices=EventKind.choices)
    subject = models.CharField(_("qui"), max_length=12, choices=EventSubject.choices,
                               default=EventSubject.ORGANISATION)
    person_function = models.CharField(_("fonction de la personne"), max_length=120, blank=True,
                                       help_text=_("par exemple « chargée de mission » ; pas de nom"))
    role = models.CharField(_("rôle"), max_length=12, blank=True, choices=Role.choices)
    reason = models.TextField(_("motif"), blank=True)
    # "Criteria that show mobilisation", from the evidence library of part 1
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="mobilisation_events",
                                      verbose_name=_("preuves"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "happened_on", "pk"]
        indexes = [models.Index(fields=["initiative", "happened_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.concerns} ({self.happened_on})"


class EngagementScale(models.IntegerChoices):
    """The stated 5-level scale of engagement."""

    INFORMED = 1, _("1 — informé")
    CONSULTED = 2, _("2 — consulté")
    CONTRIBUTING = 3, _("3 — contributeur")
    CO_DECIDING = 4, _("4 — co-décideur")
    CO_LEADING = 5, _("5 — co-pilote")


class EngagementLevel(CoValidated):
    """How engaged a partner organisation was over one period (a year, a half-year…)."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="engagement_levels")
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    level = models.PositiveSmallIntegerField(_("niveau d'engagement"), choices=EngagementScale.choices)
    people = models.PositiveSmallIntegerField(_("personnes impliquées"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="engagement_levels",
                                      verbose_name=_("preuves"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "period_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="engagement_period_order"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="engagement_level_scale"),
            models.UniqueConstraint(fields=["initiative", "concerns", "period_start", "period_end"],
                                    name="engagement_level_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.concerns} {self.period_start}–{self.period_end} : {self.level}"


# Cooperation maturity: a questionnaire of axes with described levels, answered in dated waves by several
# respondents per partner. A wave keeps a copy of the axes it was asked with, so that editing the questionnaire
# never changes past answers.

class MaturityQuestionnaire(models.Model):
    initiative = models.OneToOneField(Initiative, models.CASCADE, related_name="maturity_questionnaire")
    # [{"code": "trust", "label": "Confiance", "levels": ["…", "…", "…", "…"]}], level 1 first
    axes = models.JSONField(_("axes"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Questionnaire de maturité de {self.initiative}"


class MaturityWave(CoValidated):
    """A dated round of answers. It concerns every partner that answered: published once each approves."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="maturity_waves")
    title = models.CharField(_("intitulé"), max_length=200)
    held_on = models.DateField(_("date"))
    axes = models.JSONField(_("axes"))  # the questionnaire's axes when the wave was opened
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "held_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def concerned_organisations(self) -> list[Organisation]:
        return list(Organisation.objects.filter(pk__in=self.responses.values("organisation_id")).order_by("name"))


class MaturityResponse(models.Model):
    """One respondent's answers: a level (1 to the number of levels) per axis code."""

    wave = models.ForeignKey(MaturityWave, models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+",
                                     verbose_name=_("partenaire"))
    respondent = models.CharField(_("répondant·e (fonction)"), max_length=120, blank=True)
    answers = models.JSONField(_("réponses"))  # {"trust": 3, ...}
    comment = models.TextField(_("commentaire"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["wave", "organisation", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.wave}"
