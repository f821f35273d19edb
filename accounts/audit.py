"""Recording business acts in the audit trail (see `accounts.models.AuditEvent`).

An event is stamped with the moment it is recorded. Acts that happened earlier and are entered afterwards
(the demo's history spread over the programme's years; paper records brought in later) are recorded inside
`as_of(moment)`: the one sanctioned way to give an event another moment, since events are never updated.
"""

import threading
from contextlib import contextmanager
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import AuditEvent

_clock = threading.local()


def record_event(subject, *, actor, action: str, note: str = "", **data) -> AuditEvent:
    """Append one event for `subject`; call it inside the act's transaction."""
    event = new_event(subject, actor=actor, action=action, note=note, **data)
    event.save(force_insert=True)
    return event


def new_event(subject, *, actor, action: str, note: str = "", **data) -> AuditEvent:
    """The event `record_event` appends, not yet saved: for acts recorded many at once (`bulk_create`)."""
    return AuditEvent(**event_values(type(subject), subject.pk, actor=actor, action=action, note=note, **data))


def event_values(model, object_id, *, actor, action: str, note: str = "", **data) -> dict:
    """The fields of the event `record_event` appends for record `object_id` of `model`, as a row for
    `accounts.bulk.insert_rows` (for acts recorded by the thousand)."""
    return {"content_type_id": ContentType.objects.get_for_model(model).pk, "object_id": str(object_id),
            "actor_id": actor.pk if actor is not None else None, "action": action, "note": note, "data": data,
            "at": moment_of_acts() or timezone.now()}


def moment_of_acts() -> datetime | None:
    """The moment `as_of` gives the acts recorded now, or None: they happen now."""
    return getattr(_clock, "moment", None)


def now_of_acts() -> datetime:
    """Now, or the moment `as_of` gives the acts recorded (acts entered afterwards, the demo)."""
    return moment_of_acts() or timezone.now()


def today_of_acts():
    return timezone.localdate(now_of_acts())


@contextmanager
def as_of(moment: datetime):
    """Record the events of the acts inside the block as having happened at `moment` (aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("as_of needs an aware datetime.")
    previous = getattr(_clock, "moment", None)
    _clock.moment = moment
    try:
        yield
    finally:
        _clock.moment = previous


def history_of(subject):
    """The events of `subject`, newest first, with their actors (one query)."""
    return AuditEvent.objects.for_object(subject).select_related("actor")
