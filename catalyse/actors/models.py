from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalyse.territories.models import Territory, Typology

from .validators import validate_rna, validate_siren, validate_siret


class Profile(models.TextChoices):
    PUBLIC_ACTOR = "public", _("Acteur public (collectivité, institution)")
    GENERAL_INTEREST = "interet_general", _("Structure d'intérêt général (association, SIAE, fondation)")
    COMPANY = "entreprise", _("Entreprise")
    ACADEMIC = "academique", _("Acteur académique")
    SUPPORT = "accompagnateur", _("Accompagnateur")
    NATIONAL_NETWORK = "reseau_national", _("Réseau national")


class Scope(models.TextChoices):
    LOCAL = "local", _("Acteur local")
    NATIONAL = "national", _("Réseau national")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PENDING = "pending", _("En attente de modération")
    CHANGES_REQUESTED = "changes", _("Modifications demandées")
    PUBLISHED = "published", _("Publié")
    REJECTED = "rejected", _("Refusé")


class Source(models.TextChoices):
    MANUAL = "manual", _("Saisie")
    CSV = "csv", _("Import CSV/XLSX")
    RNA = "rna", _("Répertoire national des associations")
    SIRENE = "sirene", _("Base SIRENE")
    GENERATED = "generated", _("Généré (fictif)")


class Trade(models.Model):
    """One of the four trades of a catalyst (métiers); rows created by a data migration."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Competence(models.Model):
    trade = models.ForeignKey(Trade, models.CASCADE, related_name="competences")
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["trade__position", "position"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=255)
    search_name = models.CharField(max_length=255, blank=True, editable=False, help_text="folded name")
    slug = models.SlugField(max_length=120, unique=True)
    profile = models.CharField(_("profil"), max_length=20, choices=Profile.choices)
    legal_form = models.CharField(_("forme juridique"), max_length=120, blank=True)
    trades = models.ManyToManyField(Trade, blank=True, related_name="organisations", verbose_name=_("métiers"))
    competences = models.ManyToManyField(Competence, blank=True, related_name="organisations")
    scope = models.CharField(_("périmètre"), max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="organisations", verbose_name=_("territoires d'action")
    )
    head_office = models.ForeignKey(
        Territory, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune du siège"),
        limit_choices_to={"level": "commune"},
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("courriel de contact"), blank=True, help_text=_("Jamais affiché publiquement."))
    description = models.TextField(_("présentation (Markdown)"), blank=True)
    logo = models.ImageField(upload_to="logos/", blank=True)
    siren = models.CharField("SIREN", max_length=9, blank=True, validators=[validate_siren])
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    rna = models.CharField("RNA", max_length=10, blank=True, validators=[validate_rna])
    joined_on = models.DateField(_("adhésion au réseau"), null=True, blank=True)
    is_catalyst = models.BooleanField(_("membre du réseau (catalyseur)"), default=False)
    status = models.CharField(
        _("publication"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.PUBLISHED
    )
    dissolved_on = models.DateField(_("dissoute / fermée le"), null=True, blank=True)
    is_fictitious = models.BooleanField(_("fictive (démonstration)"), default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)

    # Denormalised from head_office so that facets and map filters need no join at national scale;
    # kept in step by services.organisation_locate(). No database constraint: the head office's is the one
    # that guards these values, and on PostgreSQL each constraint is a lookup per inserted row, at commit (a
    # quarter of the server's work in a national import). Deleting a territory still empties them (Django's
    # SET_NULL).
    region = models.ForeignKey(Territory, models.SET_NULL, null=True, blank=True, related_name="+",
                               db_constraint=False)
    departement = models.ForeignKey(Territory, models.SET_NULL, null=True, blank=True, related_name="+",
                                    db_constraint=False)
    typology = models.CharField(max_length=16, choices=Typology.choices, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="incremented on every save; guards concurrent edits")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["siret"], condition=~Q(siret=""), name="organisation_unique_siret"),
            models.UniqueConstraint(fields=["rna"], condition=~Q(rna=""), name="organisation_unique_rna"),
        ]
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["siren"]),
            # Covers the map's grid aggregate (published, in a box, catalysts or not) without reading rows.
            models.Index(fields=["status", "latitude", "longitude", "is_catalyst", "id"], name="organisation_map_idx"),
            models.Index(fields=["status", "region"]),
            models.Index(fields=["status", "departement"]),
            models.Index(fields=["status", "profile"]),
            models.Index(fields=["status", "search_name"]),
            # The directory's scope and typology facets count from the index alone (no table scan).
            models.Index(fields=["status", "scope"], name="organisation_scope_idx"),
            models.Index(fields=["status", "typology"], name="organisation_typology_idx"),
            # The directory sorted by date joined (SQL path): the first page reads 20 index entries, no sort.
            models.Index(fields=["status", "joined_on"], name="organisation_joined_idx"),
            # A territory page's few names, catalysts first: a large territory's are found by walking this order to
            # the end (observatory/network_blocks.py), the head office read from the index alone.
            models.Index(fields=["status", "-is_catalyst", "name", "head_office", "id"],
                         name="organisation_catalysts_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actors:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Membre")
    EDITOR = "editor", _("Éditeur")


class Membership(models.Model):
    """A person belongs to an organisation; editors may change its profile and invite others."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class MergeRecord(models.Model):
    """Two organisations found to be the same were merged: `removed_*` describe the one that disappeared.

    Its old slug keeps working (the organisation page redirects to the kept one) and `snapshot` keeps every
    value it had, so a wrong merge can be undone by hand.
    """

    kept = models.ForeignKey(Organisation, models.SET_NULL, null=True, related_name="merge_records")
    removed_id = models.PositiveBigIntegerField()
    removed_slug = models.SlugField(max_length=120, db_index=True)
    removed_name = models.CharField(max_length=255)
    snapshot = models.JSONField(default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.removed_name} → {self.kept}"


class DuplicateDismissal(models.Model):
    """An animator said that these two organisations are not the same: stop proposing them as duplicates."""

    first = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    second = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="duplicate_dismissal_unique")]

    def __str__(self) -> str:
        return f"{self.first} ≠ {self.second}"
