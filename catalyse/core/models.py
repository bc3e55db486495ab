from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échoué")


class ImportRun(models.Model):
    """One run of an importer (command line or upload page): what was read, what changed, what was refused.

    Written by `catalyse.core.imports.import_execute`; the upload page polls `rows_done` / `rows_total`.
    """

    kind = models.CharField(_("objet importé"), max_length=40, help_text="e.g. organisations")
    format = models.CharField(_("format"), max_length=20)
    file_name = models.CharField(_("fichier"), max_length=255)
    upload = models.FileField(upload_to="imports/files/", blank=True, help_text="the uploaded file, for the worker")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    dry_run = models.BooleanField(_("simulation"), default=False)
    options = models.JSONField(default=dict, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0, help_text="rows left out by the filters")
    errors = models.PositiveIntegerField(default=0, help_text="rows refused")
    warnings = models.PositiveIntegerField(default=0, help_text="values ignored in rows that were kept")
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0, help_text="estimated before reading")
    error_sample = models.JSONField(default=list, blank=True, help_text="the first problems, for the result page")
    error_report = models.FileField(upload_to="imports/reports/", blank=True)
    message = models.TextField(blank=True, help_text="why the whole run failed, if it did")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.format} {self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
