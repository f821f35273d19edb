"""The database itself refuses to change or remove ledger entries (DESIGN.md, "The budget ledger").

Migration 0003 installs the triggers. On PostgreSQL they refuse every UPDATE and DELETE; TRUNCATE
(how test databases are emptied) is not a row operation and stays possible for the database owner.
On SQLite, emptying the database is a DELETE of every table, so the DELETE trigger consults the
SQL function `budget_ledger_flush_allowed()`, registered on each connection below: it is true only
while `manage.py flush` (budget's override) empties the whole database. A connection without the
function (the sqlite3 shell) cannot delete entries at all.

Caution for later migrations: on SQLite, altering the ledger table rebuilds it and drops its
triggers; such a migration must install them again (tests/budget/test_ledger_model.py notices).
"""

import threading
from contextlib import contextmanager

from django.db.backends.signals import connection_created

_state = threading.local()

TRIGGER_MESSAGE = "budget_ledgerentry is append-only: book a reversal instead"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION budget_ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{TRIGGER_MESSAGE} (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
    END
    $$;
    """,
    """
    CREATE TRIGGER budget_ledgerentry_append_only BEFORE UPDATE OR DELETE ON budget_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION budget_ledger_is_append_only();
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS budget_ledgerentry_append_only ON budget_ledgerentry;",
    "DROP FUNCTION IF EXISTS budget_ledger_is_append_only();",
]
SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER budget_ledgerentry_no_update BEFORE UPDATE ON budget_ledgerentry
    BEGIN SELECT RAISE(ABORT, '{TRIGGER_MESSAGE} (UPDATE refused)'); END;
    """,
    f"""
    CREATE TRIGGER budget_ledgerentry_no_delete BEFORE DELETE ON budget_ledgerentry
    WHEN NOT budget_ledger_flush_allowed()
    BEGIN SELECT RAISE(ABORT, '{TRIGGER_MESSAGE} (DELETE refused)'); END;
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS budget_ledgerentry_no_update;",
    "DROP TRIGGER IF EXISTS budget_ledgerentry_no_delete;",
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
    return []  # other databases: the model and the admin still refuse


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
        connection.connection.create_function("budget_ledger_flush_allowed", 0, flush_allowed)


def connect() -> None:
    connection_created.connect(register_sqlite_function, dispatch_uid="budget_ledger_flush_allowed")
