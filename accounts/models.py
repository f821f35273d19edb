"""The audit trail: who did what to which object, when and why.

Every business act (a state change, a money movement, an assignment) records one `AuditEvent` in
the same transaction. Events are never changed or deleted.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.append_only import AppendOnlyModel, AppendOnlyQuerySet


class AuditEventQuerySet(AppendOnlyQuerySet):
    def for_object(self, obj) -> "AuditEventQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEvent(AppendOnlyModel):
    append_only_message = "Audit events are append-only."
    # Free text and details may name the resident: anonymisation blanks them (accounts.append_only.redact).
    redactable_fields = ("note", "data")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)  # see Meta.indexes
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("by"))
    action = models.CharField(_("action"), max_length=64)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # Set by `accounts.audit.record_event`: now, or the moment an act recorded afterwards happened.
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"



class ViewLogQuerySet(AppendOnlyQuerySet):
    def of_subject(self, key: str) -> "ViewLogQuerySet":
        return self.filter(subject_key=key)


class ViewLog(AppendOnlyModel):
    """Who looked at whose personal data (issue 14, "Who looked"): one row per page, document or letter viewed.

    accounts names no app: the data subject is a key the logging app makes ("household:<pk>") with a label a
    coordinator recognises (the household's reference). Rows are never changed or deleted, also not when the
    household is anonymised (they hold no personal data of the resident beyond the reference).
    """

    append_only_message = "The view log is append-only."

    class Kind(models.TextChoices):
        PAGE = "page", _("Page")
        DOCUMENT = "document", _("Document")
        LETTER = "letter", _("Letter")
        EXPORT = "export", _("Export")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("user"), db_index=False)  # see Meta.indexes
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAGE)
    subject_key = models.CharField(_("data subject"), max_length=64,
                                   help_text=_("Whose data: e.g. household:12."))
    subject_label = models.CharField(_("data subject (label)"), max_length=64, blank=True,
                                     help_text=_("What the coordinator recognises: the household's reference."))
    what = models.CharField(_("what"), max_length=200, help_text=_("The page, document or letter viewed."))
    path = models.CharField(_("address"), max_length=300, blank=True)

    objects = ViewLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("view log entry")
        verbose_name_plural = _("view log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="viewlog_newest_first"),
            models.Index(fields=["subject_key", "-at", "-id"], name="viewlog_subject_newest"),
            models.Index(fields=["user", "-at", "-id"], name="viewlog_user_newest"),
            models.Index(fields=["subject_label", "-at", "-id"], name="viewlog_label_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.subject_key} {self.what}"


class AccountSecurity(models.Model):
    """A staff account's session state: when all its sessions were ended ("log out everywhere")."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security",
                                verbose_name=_("user"))
    sessions_ended_at = models.DateTimeField(
        _("sessions ended at"), null=True, blank=True,
        help_text=_("Sessions that started before this moment are no longer valid."))

    class Meta:
        verbose_name = _("account security")
        verbose_name_plural = _("account security")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.sessions_ended_at}"
