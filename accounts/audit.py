"""Recording business acts in the audit trail (see `accounts.models.AuditEvent`)."""

from accounts.models import AuditEvent


def record_event(subject, *, actor, action: str, note: str = "", **data) -> AuditEvent:
    """Append one event for `subject`; call it inside the act's transaction."""
    return AuditEvent.objects.create(subject=subject, actor=actor, action=action, note=note, data=data)


def history_of(subject):
    """The events of `subject`, newest first, with their actors (one query)."""
    return AuditEvent.objects.for_object(subject).select_related("actor")
