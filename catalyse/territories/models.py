from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("EPCI")
    COMMUNE = "commune", _("Commune")


class Kind(models.TextChoices):
    """What an entry is in the Code officiel géographique; only `current` entries are territories of action."""

    CURRENT = "current", _("actuelle")
    DELEGATED = "deleguee", _("commune déléguée")
    ASSOCIATED = "associee", _("commune associée")
    ARRONDISSEMENT = "arrondissement", _("arrondissement municipal")


class Zone(models.TextChoices):
    METRO = "metro", _("Métropole")
    DROM = "drom", _("Outre-mer (DROM)")
    COM = "com", _("Outre-mer (COM)")


class EpciType(models.TextChoices):
    CC = "CC", _("Communauté de communes")
    CA = "CA", _("Communauté d'agglomération")
    CU = "CU", _("Communauté urbaine")
    METRO = "METRO", _("Métropole")
    MET69 = "MET69", _("Métropole de Lyon")


class Typology(models.TextChoices):
    METROPOLE = "metropole", _("Métropole")
    URBAIN = "urbain", _("Grande ville, urbain dense")
    VILLE_MOYENNE = "ville_moyenne", _("Ville moyenne")
    PERIURBAIN = "periurbain", _("Périurbain")
    RURAL = "rural", _("Rural")
    OUTRE_MER = "outre_mer", _("Outre-mer")


class Territory(models.Model):
    """One table for every level, so that anything can point at "a territory" of any level.

    Each row carries direct links to its commune, EPCI, département and région, which makes
    "this territory and everything below it" a single indexed filter (see `queries.descendants_q`).
    """

    level = models.CharField(max_length=12, choices=Level.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CURRENT)
    code = models.CharField(max_length=9)
    name = models.CharField(max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, help_text="folded name for lookups")
    zone = models.CharField(max_length=5, choices=Zone.choices, default=Zone.METRO)
    population = models.PositiveIntegerField(null=True, blank=True)
    postal_codes = models.CharField(max_length=200, blank=True, help_text="space-separated")
    siren = models.CharField(max_length=9, blank=True)
    epci_type = models.CharField(max_length=5, choices=EpciType.choices, blank=True)
    typology_computed = models.CharField(max_length=16, choices=Typology.choices, blank=True)
    # Commune: centroid of its outline; EPCI, département, région: population-weighted mean of its communes'.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    typology_override = models.CharField(
        max_length=16, choices=Typology.choices, blank=True, help_text=_("Remplace la typologie calculée.")
    )
    region = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")
    departement = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")
    epci = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+")
    parent_commune = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="former_parts",
        help_text="for delegated/associated communes and municipal arrondissements",
    )

    class Meta:
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "kind", "code"], name="territory_natural_key"),
        ]
        indexes = [
            models.Index(fields=["level", "code"]), models.Index(fields=["postal_codes"]),
            models.Index(fields=["latitude", "longitude"]),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("territories:detail", args=[self.level, self.code])

    @property
    def key(self) -> str:
        """`level:code`, how this territory travels in forms, URLs and the API."""
        from .keys import territory_key  # keys reads this module: imported here, not at the top

        return territory_key(self.level, self.code)

    @property
    def label(self) -> str:
        if self.level == Level.COMMUNE and self.departement_id:
            return f"{self.name} ({self.departement_code})"
        return self.name

    @property
    def departement_code(self) -> str:
        # Commune codes start with their département's (2A/2B, 97x and 98x included), no join needed.
        if self.level == Level.COMMUNE:
            return self.code[:3] if self.code[:2] in {"97", "98"} else self.code[:2]
        return self.departement.code if self.departement_id else ""

    @property
    def typology(self) -> str:
        return self.typology_override or self.typology_computed

    def get_typology_display(self) -> str:
        return Typology(self.typology).label if self.typology else ""

    @property
    def is_current(self) -> bool:
        return self.kind == Kind.CURRENT

    def ancestors(self) -> list["Territory"]:
        """Région › département › EPCI, top-down, as far as they exist for this level."""
        return [t for t in (self.region, self.departement, self.epci) if t is not None and t.pk != self.pk]

    def descendants_q(self, prefix: str = "") -> Q:
        """A filter selecting this territory and all territories below it (for `<prefix>territory`)."""
        p = f"{prefix}__" if prefix else ""
        q = Q(**{f"{p}pk": self.pk})
        if self.level == Level.REGION:
            q |= Q(**{f"{p}region_id": self.pk})
        elif self.level == Level.DEPARTEMENT:
            q |= Q(**{f"{p}departement_id": self.pk})
        elif self.level == Level.EPCI:
            q |= Q(**{f"{p}epci_id": self.pk})
        elif self.level == Level.COMMUNE:
            q |= Q(**{f"{p}parent_commune_id": self.pk})
        return q
