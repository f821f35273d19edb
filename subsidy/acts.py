"""The frame an act on a versioned case shares, whether the case is a large-measure application
(`subsidy.services`) or a products package (`subsidy.packages`).

A *case* is a row with a django-fsm `status` and a `version` that every act raises. An act locks the case's row and
compares its version with the one the actor saw (`locked`); when someone else changed the case meanwhile it is
refused with `Conflict` and nothing changes. After its own checks (who acts, the state, the act's conditions) it
makes the transition, saves the case with the next version and records one event (`transition`).

What differs stays with each kind of case: the sentences ("this application", "this package"), who may act, and
what follows (bookings, e-mails).
"""

from django.db.models import F, QuerySet

from accounts.audit import record_event
from accounts.errors import Conflict


def locked(rows: QuerySet, case, version: int | None, *, someone_else: str):
    """`case`'s row read from `rows` and locked for the act; `Conflict(someone_else)` when it is not at the version
    the actor saw (`version`, or when none is given the one `case` was read at)."""
    seen = case.version if version is None else int(version)
    row = rows.select_for_update(of=("self",)).get(pk=case.pk)
    if row.version != seen:
        raise Conflict(someone_else)
    return row


def transition(case, act: str, *, actor, by: str, note: str = "", **data):
    """Make the transition `act`, save `case` with the next version, and record the event `<model>.<act>`
    (`application.approve`, `package.install`) with the states before and after, the note and `data`.
    `actor` is the user who acted (None for the applicant or the system), `by` the kind of actor."""
    before = case.status
    getattr(case, act)()
    case.version = F("version") + 1
    case.save()
    case.refresh_from_db(fields=["version"])
    record_event(case, actor=actor, action=f"{case._meta.model_name}.{act}", note=note, from_status=before,
                 to_status=case.status, by=by, **data)
    return case
