"""The capitalisation bank: initiatives told as stories, their partners, resources, evaluation-practice sheets
and the revision history of what was written."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Organisation, Profile, PublicationStatus
from catalyse.territories.models import Territory


class Stage(models.TextChoices):
    EMERGENCE = "emergence", _("Émergence")
    EXPERIMENTATION = "experimentation", _("Expérimentation")
    MULTI_SITES = "multi_sites", _("Multi-sites")
    ESSAIMAGE = "essaimage", _("Essaimage")


class Status(models.TextChoices):
    ACTIVE = "active", _("En cours")
    PAUSED = "paused", _("En pause")
    ENDED = "ended", _("Terminée")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Publique")
    MEMBERS = "members", _("Membres du réseau")
    PARTNERS = "partners", _("Partenaires de l'initiative")


class Role(models.TextChoices):
    PORTEUR = "porteur", _("Porteur")
    PARTENAIRE = "partenaire", _("Partenaire")
    FINANCEUR = "financeur", _("Financeur")
    CATALYSEUR = "catalyseur", _("Catalyseur")
    BENEFICIAIRE = "beneficiaire", _("Bénéficiaire")
    EVALUATEUR = "evaluateur", _("Évaluateur")


class Theme(models.Model):
    """A managed list; the six fragility themes of the territory indicators come first."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    is_fragility = models.BooleanField(default=False, help_text="one of the six fragility themes")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Sdg(models.Model):
    """A UN Sustainable Development Goal; the 17 rows are created by a data migration."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=120)
    colour = models.CharField(max_length=7, help_text="official colour, #RRGGBB")

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Initiative(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(_("résumé en une ligne"), max_length=300)
    recit = models.TextField(_("récit (Markdown)"), blank=True)
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="initiatives", verbose_name=_("territoires")
    )
    stage = models.CharField(_("stade"), max_length=16, choices=Stage.choices, default=Stage.EMERGENCE)
    themes = models.ManyToManyField(Theme, blank=True, related_name="initiatives", verbose_name=_("thèmes"))
    sdgs = models.ManyToManyField(Sdg, blank=True, related_name="initiatives", verbose_name=_("ODD"))
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    cover = models.ImageField(_("image de couverture"), upload_to="initiatives/covers/", blank=True)
    cover_alt = models.CharField(_("description de l'image"), max_length=200, blank=True)
    visibility = models.CharField(
        _("visibilité"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    publication = models.CharField(
        _("publication"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.PUBLISHED
    )
    search_text = models.CharField(max_length=600, blank=True, editable=False, help_text="folded title + summary")
    is_fictitious = models.BooleanField(_("fictive (démonstration)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="incremented on every save; guards concurrent edits")

    class Meta:
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="initiative_end_after_start",
            ),
        ]
        indexes = [
            # The list's default order to the end (ties by id): PostgreSQL then reads the first rows from the index
            # instead of sorting every visible initiative (generated ones share a few timestamps).
            models.Index(fields=["publication", "visibility", "-updated_at", "id"], name="initiative_latest_idx"),
            models.Index(fields=["publication", "stage"]),
            models.Index(fields=["publication", "status"]),
            # Covering index: stage and status facet counts read no table row.
            models.Index(fields=["publication", "visibility", "stage", "status"]),
            # The text filter (`contains` on folded title + summary) scans this index, not the wide rows.
            models.Index(fields=["publication", "visibility", "search_text"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.publication == PublicationStatus.PUBLISHED


class StageChange(models.Model):
    """The dated history of stages: the initiative's `stage` is the latest of these."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="stage_changes")
    stage = models.CharField(_("stade"), max_length=16, choices=Stage.choices)
    changed_on = models.DateField(_("date"))
    note = models.CharField(_("commentaire"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.changed_on})"


class Partnership(models.Model):
    """One period during which an organisation took part in an initiative with one role.

    Ending and restarting makes a new row; periods of the same organisation and role never overlap
    (checked by services.partnership_add)."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="partnerships")
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices, default=Role.PARTENAIRE)
    joined_on = models.DateField(_("arrivée"), null=True, blank=True, help_text=_("vide : depuis le début"))
    left_on = models.DateField(_("départ"), null=True, blank=True, help_text=_("vide : toujours partenaire"))

    class Meta:
        ordering = ["joined_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="partnership_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "initiative"])]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()} de {self.initiative}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class InitiativeProfile(models.Model):
    """One profile of an initiative's partners, past or present (a copy kept by signals.py): the list's
    profile filter and facet read this small table instead of joining partnerships to every organisation."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="partner_profiles")
    profile = models.CharField(max_length=20, choices=Profile.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["initiative", "profile"], name="initiative_profile_unique")]
        indexes = [models.Index(fields=["profile", "initiative"])]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.profile}"


class PracticeSheet(models.Model):
    """A "fiche pratique d'évaluation": how one evaluation practice was run, for peers to reuse."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="sheets")
    title = models.CharField(_("titre"), max_length=200)
    territory = models.ForeignKey(
        Territory, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("territoire")
    )
    objective = models.TextField(_("objectif"))
    actors_involved = models.TextField(_("acteurs impliqués"), blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True)
    next_step = models.TextField(_("prochaine étape"), blank=True)
    tools_used = models.TextField(_("outils utilisés"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["initiative", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:sheet", args=[self.initiative.slug, self.pk])


class Revision(models.Model):
    """A snapshot of an initiative (sheet empty) or of one of its practice sheets, after a change."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="revisions")
    sheet = models.ForeignKey(PracticeSheet, models.CASCADE, null=True, blank=True, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1, 2, 3… per initiative or per sheet")
    snapshot = models.JSONField()
    message = models.CharField(_("message"), max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "number"], condition=Q(sheet__isnull=True), name="revision_initiative_number"
            ),
            models.UniqueConstraint(
                fields=["sheet", "number"], condition=Q(sheet__isnull=False), name="revision_sheet_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet or self.initiative} — version {self.number}"
