from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Network-wide role. Per-organisation roles live on Membership; initiative roles derive from partners."""

    MEMBER = "member", _("Membre du réseau")
    ANIMATOR = "animator", _("Animateur")
    ADMIN = "admin", _("Administrateur")


FORMER_MEMBER = _("Ancien membre")


class EmailUserManager(UserManager):
    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username)
        user = self.model(email=email, username=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, email, password, **extra_fields)


class User(AbstractUser):
    """A person. Signs in with an email address; `username` mirrors it for Django's admin."""

    email = models.EmailField(_("adresse électronique"), unique=True)
    display_name = models.CharField(_("nom affiché"), max_length=150, blank=True)
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    email_verified = models.BooleanField(_("adresse vérifiée"), default=False)
    show_name_publicly = models.BooleanField(_("afficher mon nom publiquement"), default=False)
    show_testimonies_publicly = models.BooleanField(_("publier mes témoignages sous mon nom"), default=False)
    # Optional second factor (TOTP). The secret is set when the person starts enrolling and only
    # enforced once a first code confirmed it (totp_enabled).
    totp_secret = models.CharField(max_length=64, blank=True, editable=False)
    totp_enabled = models.BooleanField(_("double authentification"), default=False)
    totp_last_step = models.BigIntegerField(default=0, editable=False, help_text="last accepted time step (replay)")
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = EmailUserManager()

    def __str__(self) -> str:
        if self.deleted_at:
            return str(FORMER_MEMBER)
        return self.display_name or self.email

    @property
    def public_name(self) -> str:
        """The name shown on public pages: only with consent, never the email address."""
        if self.deleted_at or not self.show_name_publicly or not self.display_name:
            return str(FORMER_MEMBER if self.deleted_at else _("Membre du réseau"))
        return self.display_name

    @property
    def name_for_members(self) -> str:
        """The name shown to other signed-in people (editors reviewing this person's suggestion…): the display
        name, never the email address, which is personal data they have no need of."""
        if self.deleted_at:
            return str(FORMER_MEMBER)
        return self.display_name or str(_("un membre du réseau"))

    @property
    def is_animator(self) -> bool:
        return self.is_active and (self.role in {Role.ANIMATOR, Role.ADMIN} or self.is_superuser)

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)


class UserSession(models.Model):
    """One signed-in browser of a person, so they can see and revoke their sessions."""

    user = models.ForeignKey(User, models.CASCADE, related_name="browser_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.created_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """An organisation's editor invites someone by email; accepting the link creates the Membership."""

    organisation = models.ForeignKey("actors.Organisation", models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(_("rôle"), max_length=10, choices=[("member", _("Membre")), ("editor", _("Éditeur"))],
                            default="member")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class TokenScope(models.TextChoices):
    READ = "read", _("Lecture")
    WRITE = "write", _("Lecture et écriture")


class ApiToken(models.Model):
    """A revocable API key. Only its SHA-256 is stored; the key itself is shown once, at creation."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100)
    scope = models.CharField(_("portée"), max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEntry(models.Model):
    """Who did what, to which object, from where. Written by services through `audit.audit_record`."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    content_type = models.ForeignKey("contenttypes.ContentType", models.SET_NULL, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal d'audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approuvé")
    REQUEST_CHANGES = "changes", _("Modifications demandées")
    REJECT = "reject", _("Refusé")


class ModerationDecision(models.Model):
    content_type = models.ForeignKey("contenttypes.ContentType", models.CASCADE)
    object_id = models.CharField(max_length=64)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    message = models.TextField(blank=True)
    moderator = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.at:%Y-%m-%d})"


class SuggestionKind(models.TextChoices):
    EDIT = "edit", _("Proposition de modification")
    ERROR = "error", _("Signalement d'erreur")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Refusée")


class Suggestion(models.Model):
    """A visitor's proposed change or error report on a public object, decided by its editors or animators."""

    content_type = models.ForeignKey("contenttypes.ContentType", models.CASCADE)
    object_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=5, choices=SuggestionKind.choices)
    field = models.CharField(_("champ"), max_length=60, blank=True)
    current_value = models.TextField(blank=True)
    proposed_value = models.TextField(_("texte proposé"), blank=True)
    message = models.TextField(_("message"), blank=True)
    author = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="suggestions")
    ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN)
    decided_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
