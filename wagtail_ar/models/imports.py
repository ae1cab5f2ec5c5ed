"""An import started in the admin: the uploaded file, whose it is, and how far it has got.

The admin's import views (:mod:`wagtail_ar.imports`) store the uploaded bytes here so that the
dry run, the preview and the confirmed import work on the same file, in whatever process the
tasks run. A job lives a day at most (older jobs are deleted at each new upload,
:meth:`ImportJobQuerySet.stale`) and is deleted once its result has been shown.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: How long an upload is kept when it is neither confirmed nor looked at again.
IMPORT_JOB_LIFETIME = datetime.timedelta(days=1)


class ImportJobStatus(models.TextChoices):
    CHECKING = "checking", _("Checking")
    READY = "ready", _("Ready to import")
    REFUSED = "refused", _("Refused")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportJobQuerySet(models.QuerySet):
    def stale(self, now=None):
        """The jobs older than :data:`IMPORT_JOB_LIFETIME`."""
        return self.filter(created_at__lt=(now or timezone.now()) - IMPORT_JOB_LIFETIME)

    def visible_to(self, user):
        """The jobs ``user`` may see: their own, or every job for a superuser."""
        return self if user.is_superuser else self.filter(user=user)


class ImportJob(models.Model):
    """One uploaded file on its way through the dry run, the preview and the import."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=50)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    file_format = models.CharField(_("format"), max_length=10)
    data = models.BinaryField(_("file"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    language = models.CharField(max_length=20, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ImportJobStatus.choices,
        default=ImportJobStatus.CHECKING,
    )
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    # {"header": [...], "rows": [...], "problems": [...], "counts": {...}}: see imports.jobs.
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.filename} ({self.get_status_display()})"

    @property
    def is_running(self):
        return self.status in (ImportJobStatus.CHECKING, ImportJobStatus.IMPORTING)
