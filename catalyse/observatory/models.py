"""The indicator catalogue and the values of indicators per territory and year.

Values are stored at the level a file gives (usually the commune) and aggregated up the hierarchy by
`aggregation.aggregate` (sums for counts, population-weighted means for rates), flagged `computed`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalyse.territories.models import Level, Territory


class Theme(models.TextChoices):
    # The six fragility themes share their codes with the initiatives' themes (priorities compare them).
    ECONOMIE = "economie", _("Économie")
    EMPLOI = "emploi", _("Emploi")
    MOBILITE = "mobilite", _("Mobilité")
    EDUCATION = "education", _("Éducation")
    ENVIRONNEMENT = "environnement", _("Environnement")
    SANTE = "sante", _("Santé")
    DEMOGRAPHIE = "demographie", _("Démographie")
    LOGEMENT = "logement", _("Logement")


class Aggregation(models.TextChoices):
    COUNT = "count", _("effectif (somme)")
    RATE = "rate", _("taux (moyenne pondérée par la population)")


class Direction(models.TextChoices):
    HIGHER_WORSE = "higher_worse", _("plus élevé = plus fragile")
    HIGHER_BETTER = "higher_better", _("plus élevé = moins fragile")


class Indicator(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    theme = models.CharField(_("thème"), max_length=20, choices=Theme.choices)
    unit = models.CharField(_("unité"), max_length=40, blank=True)
    kind = models.CharField(_("agrégation"), max_length=8, choices=Aggregation.choices, default=Aggregation.RATE)
    direction = models.CharField(_("sens"), max_length=16, choices=Direction.choices,
                                 default=Direction.HIGHER_WORSE)
    source = models.CharField(_("source"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    definition = models.TextField(_("définition"), blank=True)
    is_demo = models.BooleanField(_("valeurs fictives de démonstration"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def higher_is_worse(self) -> bool:
        return self.direction == Direction.HIGHER_WORSE


class ValueStatus(models.TextChoices):
    OK = "ok", _("valeur")
    SECRET = "secret", _("secret statistique")
    MISSING = "missing", _("non disponible")


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values")
    territory = models.ForeignKey(Territory, models.CASCADE, related_name="+")
    # The territory's level, copied so that "all communes' values of X in 2022" is one index range.
    level = models.CharField(max_length=12, choices=Level.choices)
    year = models.PositiveSmallIntegerField()
    value = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=ValueStatus.choices, default=ValueStatus.OK)
    computed = models.BooleanField(default=False, help_text="aggregated from the level below")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "territory", "year"], name="indicator_value_unique"),
        ]
        indexes = [models.Index(fields=["indicator", "year", "level"], name="indicator_value_read")]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.territory_id}/{self.year}: {self.value}"


# Counts kept per territory (counts.py) ----------------------------------------------------------------------------

class Counted(models.TextChoices):
    ORGANISATION = "organisation", _("organisations")
    INITIATIVE = "initiative", _("initiatives")


class Audience(models.TextChoices):
    """Who may see an organisation or initiative, as its own fields say (the permission modules' rules)."""

    PUBLIC = "public", _("tout le monde")  # published (organisations); published and public (initiatives)
    MEMBERS = "members", _("les membres du réseau")  # initiatives published for members
    RESTRICTED = "restricted", _("ses proches")  # the rest: animators, and the people close to it (members, partners)


class TerritoryCount(models.Model):
    """Organisations or initiatives of a territory (head office or action in it or below it), by audience and by
    `dimension` (`total`, `profile`, `trade`, `catalyst`, `theme`) and `key`. Kept true inside the transaction of
    every write by `counts.shares_refresh`; `catalyse observatory_counts_rebuild` recomputes it from scratch."""

    territory = models.ForeignKey(Territory, models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=12, choices=Counted.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    dimension = models.CharField(max_length=10)
    key = models.CharField(max_length=40, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["territory", "kind", "audience", "dimension", "key"],
                                               name="territory_count_unique")]

    def __str__(self) -> str:
        return f"{self.territory_id} {self.kind} {self.audience} {self.dimension}={self.key}: {self.count}"


class Share(models.Model):
    """What one organisation or initiative adds to `TerritoryCount` — its audience, the territories it counts in
    (the union of its head office's and action territories' ancestors, each once) and its dimension:key pairs —
    so that a write takes the old share back without recounting anyone else. Plain text (ids, and pairs, separated
    by spaces; `counts.encode` / `decode`): a rebuild writes a million of them."""

    kind = models.CharField(max_length=12, choices=Counted.choices)
    object_id = models.BigIntegerField()
    audience = models.CharField(max_length=10, choices=Audience.choices)
    territories = models.TextField(blank=True)  # "12 345 6789"
    keys = models.TextField(blank=True)  # "total: profile:entreprise trade:3"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="share_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.audience}"
