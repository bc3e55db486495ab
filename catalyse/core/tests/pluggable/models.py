from django.conf import settings
from django.db import models


class NoteStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    PUBLISHED = "published", "Publiée"
    CHANGES = "changes", "Modifications demandées"
    REJECTED = "rejected", "Refusée"


class Note(models.Model):
    title = models.CharField("titre", max_length=100)
    body = models.TextField("texte", blank=True)
    status = models.CharField(max_length=20, choices=NoteStatus.choices, default=NoteStatus.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title
