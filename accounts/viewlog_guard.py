"""The database itself refuses to change or remove rows of the view log (issue 14, "Who looked").

Like the budget ledger's triggers (budget.ledger_guard): the model and its queryset refuse `save()` of a stored
row, `delete()` and bulk `update()`/`delete()` (accounts.append_only), and these triggers refuse a raw UPDATE or
DELETE from a shell, a query tool or a bug. On PostgreSQL TRUNCATE (how test databases are emptied) stays possible
for the database owner. On SQLite emptying the database is a DELETE of every table, so the DELETE trigger consults
`accounts_viewlog_flush_allowed()`, registered on each connection: true only while `manage.py flush` empties the
whole database (budget's flush command enters `flushing_the_whole_database`). A connection without the function
(the sqlite3 shell) cannot delete rows at all.

Caution for later migrations: on SQLite, altering the view log's table rebuilds it and drops its triggers; such a
migration must install them again (tests/accounts/test_view_log.py notices).
"""

import threading
from contextlib import contextmanager

from django.db.backends.signals import connection_created

_state = threading.local()

TABLE = "accounts_viewlog"
TRIGGER_MESSAGE = "accounts_viewlog is append-only: who looked is never changed or removed"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION accounts_viewlog_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{TRIGGER_MESSAGE} (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
    END
    $$;
    """,
    f"""
    CREATE TRIGGER accounts_viewlog_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION accounts_viewlog_is_append_only();
    """,
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS accounts_viewlog_append_only ON {TABLE};",
    "DROP FUNCTION IF EXISTS accounts_viewlog_is_append_only();",
]
SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER accounts_viewlog_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{TRIGGER_MESSAGE} (UPDATE refused)'); END;
    """,
    f"""
    CREATE TRIGGER accounts_viewlog_no_delete BEFORE DELETE ON {TABLE}
    WHEN NOT accounts_viewlog_flush_allowed()
    BEGIN SELECT RAISE(ABORT, '{TRIGGER_MESSAGE} (DELETE refused)'); END;
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS accounts_viewlog_no_update;",
    "DROP TRIGGER IF EXISTS accounts_viewlog_no_delete;",
]


def install_triggers(schema_editor) -> None:
    for statement in _statements(schema_editor, install=True):
        schema_editor.execute(statement, params=None)


def remove_triggers(schema_editor) -> None:
    for statement in _statements(schema_editor, install=False):
        schema_editor.execute(statement, params=None)


def _statements(schema_editor, *, install: bool) -> list[str]:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        return POSTGRESQL_INSTALL if install else POSTGRESQL_REMOVE
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    return []  # other databases: the model and its queryset still refuse


def flush_allowed() -> int:
    return 1 if getattr(_state, "flushing", False) else 0


@contextmanager
def flushing_the_whole_database():
    """Let SQLite's DELETE trigger pass while the whole database is emptied (tests, resets)."""
    _state.flushing = True
    try:
        yield
    finally:
        _state.flushing = False


def register_sqlite_function(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("accounts_viewlog_flush_allowed", 0, flush_allowed)


def connect() -> None:
    connection_created.connect(register_sqlite_function, dispatch_uid="accounts_viewlog_flush_allowed")
