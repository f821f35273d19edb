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

