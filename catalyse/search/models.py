from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxOp(models.TextChoices):
    UPSERT = "upsert", "upsert"
    DELETE = "delete", "delete"


class OutboxEntry(models.Model):
    """A change waiting to reach the search index. The database stays the source of truth; the worker
    (the index's single writer) drains this table in order."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    op = models.CharField(max_length=6, choices=OutboxOp.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.op} {self.kind}:{self.object_id}"


class SearchWord(models.Model):
    """The vocabulary of the index: each folded surface word, its indexed term and how often it occurs.

    Used for accent-free queries ("mobilite" → term of "mobilité"), typo tolerance and "did you mean".
    Incremental indexing only adds; `search_index --rebuild` recounts."""

    word = models.CharField(max_length=60, unique=True)
    term = models.CharField(max_length=60, db_index=True)
    display = models.CharField(max_length=60, help_text="most frequent accented spelling")
    freq = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.display


class Frequency(models.TextChoices):
    DAILY = "daily", _("Chaque jour")
    WEEKLY = "weekly", _("Chaque semaine")


class SavedSearch(models.Model):
    """A search a signed-in person keeps; new matching items are sent as a digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("nom"), max_length=120)
    query_string = models.CharField(_("paramètres"), max_length=1000, help_text="the URL query of /recherche/")
    frequency = models.CharField(_("fréquence"), max_length=6, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
