"""The resource library (publications, guides, methods, tools, videos, data sets) and the toolbox of services
offered to territories. A resource belongs to one owner: an organisation, an initiative, an event, or the network
(no owner: the animators publish it)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Organisation, Profile
from catalyse.events.models import Event
from catalyse.initiatives.models import Initiative, Theme
from catalyse.territories.models import Level, Territory


class ResourceType(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    GUIDE = "guide", _("Guide")
    METHOD = "methode", _("Méthode")
    TOOL = "outil", _("Outil")
    VIDEO = "video", _("Vidéo")
    DATASET = "donnees", _("Jeu de données")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Publique")
    MEMBERS = "members", _("Membres du réseau")
    PRIVATE = "private", _("Privée (son propriétaire)")


class Collection(models.Model):
    """A curated set of resources ("évaluation partenariale", "outils numériques")."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:collection", args=[self.slug])


class Resource(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    resource_type = models.CharField(
        _("type"), max_length=12, choices=ResourceType.choices, default=ResourceType.PUBLICATION
    )
    summary = models.TextField(_("résumé"), blank=True)
    published_on = models.DateField(_("date de publication"), null=True, blank=True)
    author_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="authored_resources", verbose_name=_("organisations autrices")
    )
    authors_text = models.CharField(_("autres auteurs (organisations)"), max_length=300, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="resources", verbose_name=_("thèmes"))
    territories = models.ManyToManyField(Territory, blank=True, related_name="resources", verbose_name=_("territoires"))
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    url = models.URLField(_("adresse"), blank=True)
    file = models.FileField(_("fichier"), upload_to="resources/", blank=True)
    tags = models.JSONField(_("mots-clés"), default=list, blank=True)
    collections = models.ManyToManyField(
        Collection, blank=True, related_name="resources", verbose_name=_("collections")
    )
    initiatives = models.ManyToManyField(
        Initiative, blank=True, related_name="linked_resources", verbose_name=_("initiatives liées")
    )
    # A resource presented at an event that does not own it (the slides of an organisation's talk).
    events = models.ManyToManyField(Event, blank=True, related_name="linked_resources",
                                    verbose_name=_("événements liés"))
    owner_organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("organisation propriétaire"),
    )
    # related_name "resources": the initiative page and its channels kept `initiative.resources`.
    owner_initiative = models.ForeignKey(
        Initiative,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("initiative propriétaire"),
    )
    # related_name "resources": the event page lists `event.resources` without importing this app.
    owner_event = models.ForeignKey(
        Event,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("événement propriétaire"),
    )
    visibility = models.CharField(_("visibilité"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    # A default, not auto_now_add: resources moved from the initiatives app keep their date.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            # At most one owner among the organisation, the initiative and the event.
            models.CheckConstraint(
                condition=Q(owner_organisation__isnull=True, owner_initiative__isnull=True)
                | Q(owner_organisation__isnull=True, owner_event__isnull=True)
                | Q(owner_initiative__isnull=True, owner_event__isnull=True),
                name="resource_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", args=[self.pk])

    @property
    def href(self) -> str:
        """Where the resource itself is: its file, else its link."""
        return self.file.url if self.file else self.url

    @property
    def owner(self) -> Organisation | Initiative | Event | None:
        return self.owner_organisation or self.owner_initiative or self.owner_event


class Family(models.TextChoices):
    """The three families of services the network's report lists."""

    DATA = "donnees", _("Données")
    SUPPORT = "accompagnement", _("Accompagnement et compétences")
    MEDIA = "medias", _("Médias de valorisation")


class Tool(models.Model):
    """A service of the toolbox: who provides it and for whom."""

    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    family = models.CharField(_("famille"), max_length=16, choices=Family.choices)
    summary = models.TextField(_("description"), blank=True)
    url = models.URLField(_("adresse"), blank=True)
    provider = models.ForeignKey(
        Organisation, models.SET_NULL, null=True, blank=True, related_name="tools", verbose_name=_("fourni par")
    )
    provider_text = models.CharField(_("fourni par (texte libre)"), max_length=200, blank=True)
    profiles = models.JSONField(_("pour les profils"), default=list, blank=True)  # actors Profile codes
    levels = models.JSONField(_("pour les échelons"), default=list, blank=True)  # territories Level codes
    version = models.PositiveIntegerField(default=1, help_text="incremented on every save; guards concurrent edits")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:tool", args=[self.slug])

    @property
    def profile_labels(self) -> list[str]:
        labels = dict(Profile.choices)
        return [str(labels[p]) for p in self.profiles if p in labels]

    @property
    def level_labels(self) -> list[str]:
        labels = dict(Level.choices)
        return [str(labels[level]) for level in self.levels if level in labels]

    @property
    def provider_name(self) -> str:
        return self.provider.name if self.provider else self.provider_text
