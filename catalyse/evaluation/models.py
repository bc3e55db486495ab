"""The evaluation of an alliance (an initiative): its approach, objectives tree, indicators with versioned
definitions, measurements under review, and the evidence library.

An indicator's *definition* (what is measured, how it is computed, scale, direction, cumulation, baseline,
targets) lives in `IndicatorVersion` rows: changing it writes a new version with its reason, and every
measurement stays attached to the version it was taken under. What does not change the meaning of the
figures (name, unit, owner, family, key flag…) stays on `Indicator`.
"""

from decimal import Decimal

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
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

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
    # RESTRICT, not PROTECT: a version with measurements cannot be deleted alone, but goes with its indicator.
    version = models.ForeignKey(IndicatorVersion, models.RESTRICT, related_name="measurements")
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


EVIDENCE_FOLDER = "evaluation/evidence/"


class Evidence(models.Model):
    """An item of the evidence library: what backs the figures (a verbatim, a photo, a document, a figure, a
    link). Publishing needs the quoted person's consent (verbatim) or the image rights (photo)."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="evidence")
    kind = models.CharField(_("type"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte ou verbatim"), blank=True)
    speaker_role = models.CharField(_("rôle de la personne citée"), max_length=120, blank=True)
    # A fixed folder: core.files finds a file's owner (and its permission) from the folder.
    file = models.FileField(_("fichier"), upload_to=EVIDENCE_FOLDER, blank=True)
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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["initiative", "-created_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

class Audience(models.TextChoices):
    """Who may see an initiative, as far as the network dashboard's pre-aggregated counts go."""

    PUBLIC = "public", _("tout le monde")  # published and public
    MEMBERS = "members", _("les membres du réseau")  # published, visible to members
    RESTRICTED = "restricted", _("ses partenaires")  # partners only, or not published


class InitiativeResults(models.Model):
    """What one initiative adds to the network dashboard: its published indicators counted by status along each
    axis ([dimension, key, status, count] rows), so that a write can take its old contribution back."""

    initiative = models.OneToOneField(Initiative, models.CASCADE, primary_key=True, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    contributions = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["audience"])]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.audience}"


class ResultCount(models.Model):
    """The network dashboard, pre-aggregated: published indicators by audience, axis (impact family, partners'
    profile, territory typology, theme), key and status. Kept true by results.initiative_results_refresh on every
    write that can change it; `catalyse evaluation_results --rebuild` recomputes it from scratch."""

    audience = models.CharField(max_length=10, choices=Audience.choices)
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audience", "dimension", "key", "status"],
                                               name="result_count_unique")]

    def __str__(self) -> str:
        return f"{self.audience} {self.dimension}={self.key} {self.status}: {self.count}"


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


# Part 2: change paths, SROI, fears/attractions/temptations, sense-making sessions ---------------------------------
# (issue #16). Each item is CoValidated: private to the partners until published, and published only once the
# partners it concerns approve (see publication.py).

RATE = {"max_digits": 5, "decimal_places": 4}  # a share between 0 and 1


class ChangeVision(CoValidated):
    """The shared vision of an initiative's change paths: the world the partners want to contribute to."""

    initiative = models.OneToOneField(Initiative, models.CASCADE, related_name="change_vision")
    text = models.TextField(_("vision partagée"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Vision de {self.initiative}"


class ChangePath(CoValidated):
    """The change sought in one boundary partner (an actor the alliance wants to influence, not one of its
    members necessarily): an organisation of the directory, or an actor named in free text. When that
    organisation is a partner of the initiative, the path `concerns` it: published once it approves."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="change_paths")
    organisation = models.ForeignKey(Organisation, models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation dont le changement est recherché"))
    actor_name = models.CharField(_("acteur (texte libre)"), max_length=200, blank=True,
                                  help_text=_("par exemple « les bailleurs sociaux du département »"))
    outcome_challenge = models.TextField(_("défi de changement"))
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(organisation__isnull=False) | ~Q(actor_name=""),
                                              name="change_path_has_actor")]

    def __str__(self) -> str:
        return self.actor

    @property
    def actor(self) -> str:
        return self.organisation.name if self.organisation_id else self.actor_name


class MarkerLevel(models.TextChoices):
    EXPECT = "expect", _("Nous nous attendons à voir")
    LIKE = "like", _("Nous aimerions voir")
    LOVE = "love", _("Nous adorerions voir")


class MarkerStatus(models.TextChoices):
    NOT_YET = "not_yet", _("Pas encore")
    PARTLY = "partly", _("En partie")
    FULLY = "fully", _("Pleinement")


class ProgressMarker(models.Model):
    path = models.ForeignKey(ChangePath, models.CASCADE, related_name="markers")
    level = models.CharField(_("niveau"), max_length=6, choices=MarkerLevel.choices)
    text = models.CharField(_("marqueur de progrès"), max_length=500)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["path", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class JournalEntry(CoValidated):
    """A dated observation in the outcome journal of a change path: the status a progress marker reached
    (or, without marker, an unexpected change), why it matters, what the alliance contributed, the evidence,
    and who confirmed it (an organisation and the role of the person, never a name). It `concerns` what its
    path concerns; outsiders see it once both it and its path are published."""

    path = models.ForeignKey(ChangePath, models.CASCADE, related_name="journal")
    marker = models.ForeignKey(ProgressMarker, models.CASCADE, null=True, blank=True, related_name="journal",
                               verbose_name=_("marqueur (vide : changement inattendu)"))
    observed_on = models.DateField(_("observé le"))
    status = models.CharField(_("statut du marqueur"), max_length=8, choices=MarkerStatus.choices, blank=True)
    observed_change = models.TextField(_("changement observé"))
    significance = models.TextField(_("en quoi c'est important"), blank=True)
    contribution = models.TextField(_("contribution de l'alliance"), blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="journal_entries",
                                      verbose_name=_("preuves"))
    confirmed_by = models.ForeignKey(Organisation, models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("confirmé par (organisation)"))
    confirmed_by_role = models.CharField(_("rôle de la personne qui confirme"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path", "observed_on", "pk"]
        verbose_name_plural = "journal entries"
        constraints = [models.CheckConstraint(condition=Q(marker__isnull=True, status="")
                                              | Q(marker__isnull=False, status__in=MarkerStatus.values),
                                              name="journal_entry_status_with_marker")]

    def __str__(self) -> str:
        return f"{self.path} {self.observed_on}"

    def publication_initiative(self) -> Initiative:
        return self.path.initiative


class FatKind(models.TextChoices):
    FEAR = "fear", _("Crainte")
    ATTRACTION = "attraction", _("Attrait")
    TEMPTATION = "temptation", _("Tentation")


class Becomes(models.TextChoices):
    PENDING = "pending", _("À traiter")
    PRECAUTION = "precaution", _("Une précaution")
    OBJECTIVE = "objective", _("Un objectif")
    RULE = "rule", _("Une règle de conduite")


class ConductRule(CoValidated):
    """A precaution or a rule of conduct the partners agreed on, often born of a fear or a temptation."""

    class Kind(models.TextChoices):
        PRECAUTION = "precaution", _("Précaution")
        RULE = "rule", _("Règle de conduite")

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="conduct_rules")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("texte"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "kind", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class FatItem(CoValidated):
    """One fear, attraction or temptation of a partner about the alliance — its own, or "in the mirror": what
    it thinks a colleague organisation feels (`about`) — and what the partners made of it. It concerns the
    partner who spoke (`concerns`) and, in the mirror, the colleague too."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="fat_items")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+",
                                     verbose_name=_("partenaire qui s'exprime"))
    about = models.ForeignKey(Organisation, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("en miroir, pour l'organisation"))
    kind = models.CharField(_("type"), max_length=10, choices=FatKind.choices)
    text = models.TextField(_("texte"))
    becomes = models.CharField(_("devenu"), max_length=10, choices=Becomes.choices, default=Becomes.PENDING)
    objective = models.ForeignKey(Objective, models.SET_NULL, null=True, blank=True, related_name="fat_items")
    rule = models.ForeignKey(ConductRule, models.SET_NULL, null=True, blank=True, related_name="fat_items")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "organisation", "kind", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def concerned_organisations(self) -> list[Organisation]:
        return [org for org in (self.organisation, self.about) if org is not None]


class SenseMakingSession(CoValidated):
    """A dated review meeting where the partners read their indicators and journals together. It concerns the
    partners named in its disagreements: their position is published only with their approval."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="sense_making_sessions")
    held_on = models.DateField(_("date"))
    title = models.CharField(_("intitulé"), max_length=200)
    participants = models.ManyToManyField(Organisation, blank=True, related_name="+",
                                          verbose_name=_("organisations participantes"))
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="sense_making_sessions",
                                        verbose_name=_("indicateurs discutés"))
    journal_entries = models.ManyToManyField(JournalEntry, blank=True, related_name="sense_making_sessions",
                                             verbose_name=_("entrées de journal discutées"))
    summary = models.TextField(_("ce que nous avons compris"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"

    def concerned_organisations(self) -> list[Organisation]:
        return list(Organisation.objects.filter(pk__in=Disagreement.organisations.through.objects.filter(
            disagreement__session=self).values("organisation_id")).order_by("name"))


class Disagreement(models.Model):
    """A point the partners did not agree on, kept as such: never folded into the session's consensus."""

    session = models.ForeignKey(SenseMakingSession, models.CASCADE, related_name="disagreements")
    subject = models.CharField(_("point de désaccord"), max_length=300)
    positions = models.TextField(_("positions exprimées"), help_text=_("une position par ligne, avec qui la porte"))
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="+",
                                           verbose_name=_("organisations en désaccord"))

    class Meta:
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return self.subject


class Decision(models.Model):
    session = models.ForeignKey(SenseMakingSession, models.CASCADE, related_name="decisions")
    text = models.TextField(_("décision"))
    follow_up = models.TextField(_("suite à donner"), blank=True)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    done_on = models.DateField(_("réalisée le"), null=True, blank=True)
    indicator_versions = models.ManyToManyField(IndicatorVersion, blank=True, related_name="decisions",
                                                verbose_name=_("versions d'indicateur qu'elle a causées"))

    class Meta:
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class SroiEstimate(CoValidated):
    """A saved SROI estimate: its inputs, every assumption with its source, and the step of its sensitivity
    table. The figures are computed (`sroi.estimate`), never stored: changing an assumption changes them."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="sroi_estimates")
    title = models.CharField(_("intitulé"), max_length=200)
    estimated_on = models.DateField(_("date de l'estimation"))
    investment = models.DecimalField(_("investissement (€)"), **NUMBER)
    investment_note = models.TextField(_("ce que comprend l'investissement"), blank=True)
    discount_rate = models.DecimalField(_("taux d'actualisation"), **RATE)
    sensitivity_step = models.DecimalField(_("pas de sensibilité"), default=Decimal("0.1"), **RATE)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "-estimated_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class SroiOutcome(models.Model):
    estimate = models.ForeignKey(SroiEstimate, models.CASCADE, related_name="outcomes")
    name = models.CharField(_("effet"), max_length=200)
    stakeholder = models.CharField(_("partie prenante concernée"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantité"), **NUMBER)
    proxy = models.DecimalField(_("valeur financière unitaire (€ par an)"), **NUMBER)
    proxy_source = models.CharField(_("source de la valeur financière"), max_length=500)
    deadweight = models.DecimalField(_("effet d'aubaine"), default=0, **RATE)
    attribution = models.DecimalField(_("attribution à d'autres"), default=0, **RATE)
    displacement = models.DecimalField(_("déplacement"), default=0, **RATE)
    drop_off = models.DecimalField(_("érosion annuelle"), default=0, **RATE)
    duration = models.PositiveSmallIntegerField(_("durée (années)"), default=1)
    assumptions = models.TextField(_("justification des hypothèses"), blank=True)
    indicator = models.ForeignKey(Indicator, models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("indicateur source de la quantité"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["estimate", "position", "pk"]

    def __str__(self) -> str:
        return self.name
