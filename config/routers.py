"""Read-heavy reports on a replica of the database (DATABASE_REPLICA_URL; docs/operations.md).

The replica is a read-only copy kept by PostgreSQL's streaming replication, a moment behind the
primary. Only code that asks for it reads there: a report's figures, inside `reports_on_replica()`.
Everything else reads the primary (what a user just saved is what the next page shows), and every
write goes to the primary. Without a replica configured the helper changes nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


def replica_alias() -> str:
    """The alias to read reports from: the replica when there is one, the primary otherwise (`.using(...)`)."""
    return REPLICA if REPLICA in connections else DEFAULT_DB_ALIAS


@contextmanager
def reports_on_replica() -> Iterator[None]:
    """Reads inside go to the replica (when configured); writes still go to the primary.

    For figures that may be a moment old; never for reading what is about to be changed. Usable as a
    decorator too. Safe in threads and async code (a context variable, not a global).
    """
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReportsOnReplicaRouter:
    """Sends reads inside `reports_on_replica()` to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        if _reading_reports.get():
            return replica_alias()
        return None  # Django's choice: the database the related instance came from, else the primary

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: an object read there may be linked to one from here.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica gets its tables by replication; `migrate` runs on the primary only.
        return db != REPLICA
