"""What every file the reports app makes in the background has: who asked, when, where it is, and the file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (xlsx)"
    CSV = "csv", "CSV"
    JSON = "json", "JSON"


CONTENT_TYPES = {
    FileFormat.PDF: "application/pdf",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.JSON: "application/json",
}


class MadeInBackground(models.Model):
    """A file made by a task (django.tasks; `manage.py db_worker` runs them); its page polls `status` and
    `progress` (htmx) until it can be downloaded."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file_format = models.CharField(_("format"), max_length=4, choices=FileFormat.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    content = models.BinaryField(_("content"), null=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-pk"]

    @property
    def is_finished(self) -> bool:
        """Done or failed: its page stops polling."""
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def may_be_downloaded(self) -> bool:
        """Made (a part that keeps its files only a while says whether this one still is)."""
        return self.status == self.Status.DONE

    @property
    def content_type(self) -> str:
        """What the download says the file is."""
        return CONTENT_TYPES[self.file_format]

    @property
    def progress(self) -> int:
        """How far it is, in percent (for the progress bar)."""
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.rows * 100 // self.rows_total) if self.rows_total else 0
