from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Network-wide role. Per-organisation roles live on Membership; initiative roles derive from partners."""

    MEMBER = "member", _("Membre du réseau")
    ANIMATOR = "animator", _("Animateur")
    ADMIN = "admin", _("Administrateur")


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

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = EmailUserManager()

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_animator(self) -> bool:
        return self.is_active and (self.role in {Role.ANIMATOR, Role.ADMIN} or self.is_superuser)

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)
