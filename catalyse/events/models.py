"""The network's events: annual meetings, webinars, workshops and study trips, their programme of sessions and
the registrations (with capacity, waiting list and attendance).

Times are stored aware (UTC in the database) and shown in Europe/Paris, the site's time zone.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Organisation
from catalyse.territories.models import Territory


class EventKind(models.TextChoices):
    ANNUAL_MEETING = "rencontre", _("Rencontre annuelle")
    WEBINAR = "webinaire", _("Webinaire")
    WORKSHOP = "atelier", _("Atelier")
    STUDY_TRIP = "voyage", _("Voyage d'étude")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")


class Event(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=EventKind.choices, default=EventKind.WORKSHOP)
    summary = models.CharField(_("résumé en une ligne"), max_length=300, blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    territory = models.ForeignKey(
        Territory, models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("territoire")
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    online_url = models.URLField(_("lien de connexion"), blank=True)
    # Empty: no limit. Above it, registrations go to the waiting list.
    capacity = models.PositiveIntegerField(_("nombre de places"), null=True, blank=True)
    organiser = models.ForeignKey(
        Organisation, models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("organisateur")
    )
    status = models.CharField(_("publication"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT)
    is_fictitious = models.BooleanField(_("fictif (démonstration)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="incremented on every save; guards concurrent edits")

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_over(self) -> bool:
        return self.ends_at < timezone.now()


class SessionKind(models.TextChoices):
    PLENARY = "pleniere", _("Plénière")
    ROUND_TABLE = "table_ronde", _("Table ronde")
    WORKSHOP = "atelier", _("Atelier")
    PEER_CONSULTING = "codev", _("Co-développement")


class Session(models.Model):
    """One slot of an event's programme; workshop sessions are the groups participants choose between."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="sessions")
    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(_("format"), max_length=12, choices=SessionKind.choices, default=SessionKind.PLENARY)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("salle ou lieu"), max_length=200, blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True)
    speakers = models.ManyToManyField(
        Organisation, blank=True, related_name="event_sessions", verbose_name=_("organisations intervenantes")
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["event", "starts_at", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def workshop_kinds() -> tuple[str, ...]:
        """The formats participants choose a group of."""
        return (SessionKind.WORKSHOP, SessionKind.PEER_CONSULTING)

    @property
    def is_workshop(self) -> bool:
        return self.kind in self.workshop_kinds()


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmée")
    WAITING = "waiting", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


class Registration(models.Model):
    """A person's place at an event. `position` orders the waiting list (first come, first promoted)."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="event_registrations"
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    organisation = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation (si absente de l'annuaire)"), max_length=200, blank=True)
    session = models.ForeignKey(
        Session,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("groupe d'atelier"),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED
    )
    position = models.PositiveIntegerField(_("rang"), default=0)
    # The person's choice: only then does their name appear on public pages.
    public_name = models.BooleanField(_("afficher mon nom dans la liste publique des participants"), default=False)
    attended = models.BooleanField(_("présent"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "position", "pk"]
        constraints = [
            # Addresses are compared case-insensitively: "A@x.fr" and "a@x.fr" are one person.
            models.UniqueConstraint("event", Lower("email"), name="registration_unique_event_email"),
        ]
        indexes = [models.Index(fields=["event", "status", "position"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.event})"

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name
