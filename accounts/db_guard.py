"""Append-only tables in the database itself: triggers that refuse UPDATE and DELETE (DESIGN.md, "The budget ledger").

The model and its queryset refuse changes (accounts.append_only); these triggers also refuse a raw UPDATE or DELETE
from a shell, a query tool or a bug. One `AppendOnlyTable` per guarded table (budget.ledger_guard for the ledger,
accounts.viewlog_guard for the view log); its migrations call `install_triggers` / `remove_triggers`.

On PostgreSQL the triggers refuse every UPDATE and DELETE; TRUNCATE (how test databases are emptied) is not a row
operation and stays possible for the database owner. On SQLite emptying the database is a DELETE of every table, so
the DELETE trigger consults an SQL function `<prefix>_flush_allowed()`, registered on each connection by `connect()`:
true only while `manage.py flush` (accounts' override) empties the whole database inside
`flushing_the_whole_database()`. A connection without the function (the sqlite3 shell) cannot delete rows at all.

Caution for later migrations: on SQLite, altering a guarded table rebuilds it and drops its triggers; such a
migration must install them again.
"""

import threading
from contextlib import contextmanager

from django.db.backends.signals import connection_created

_state = threading.local()


def flush_allowed() -> int:
    return 1 if getattr(_state, "flushing", False) else 0


@contextmanager
def flushing_the_whole_database():
    """Let SQLite's DELETE triggers pass while the whole database is emptied (tests, resets)."""
    _state.flushing = True
    try:
        yield
    finally:
        _state.flushing = False


class AppendOnlyTable:
    """The triggers of one append-only table. `prefix` names its trigger function (`<prefix>_is_append_only`) and
    its SQLite flush function (`<prefix>_flush_allowed`); the triggers are named after the table."""

    def __init__(self, table: str, *, prefix: str, message: str):
        self.table = table
        self.prefix = prefix
        self.message = message
        self.flush_function = f"{prefix}_flush_allowed"
        self.postgresql_install = [
            f"""
    CREATE OR REPLACE FUNCTION {prefix}_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{message} (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
    END
    $$;
    """,
            f"""
    CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {prefix}_is_append_only();
    """,
        ]
        self.postgresql_remove = [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"DROP FUNCTION IF EXISTS {prefix}_is_append_only();",
        ]
        self.sqlite_install = [
            f"""
    CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    BEGIN SELECT RAISE(ABORT, '{message} (UPDATE refused)'); END;
    """,
            f"""
    CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    WHEN NOT {self.flush_function}()
    BEGIN SELECT RAISE(ABORT, '{message} (DELETE refused)'); END;
    """,
        ]
        self.sqlite_remove = [
            f"DROP TRIGGER IF EXISTS {table}_no_update;",
            f"DROP TRIGGER IF EXISTS {table}_no_delete;",
        ]

    def install_triggers(self, schema_editor) -> None:
        for statement in self._statements(schema_editor, install=True):
            schema_editor.execute(statement, params=None)

    def remove_triggers(self, schema_editor) -> None:
        for statement in self._statements(schema_editor, install=False):
            schema_editor.execute(statement, params=None)

    def _statements(self, schema_editor, *, install: bool) -> list[str]:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            return self.postgresql_install if install else self.postgresql_remove
        if vendor == "sqlite":
            return self.sqlite_install if install else self.sqlite_remove
        return []  # other databases: the model and its queryset still refuse

    def register_sqlite_function(self, sender, connection, **kwargs) -> None:
        if connection.vendor == "sqlite":
            connection.connection.create_function(self.flush_function, 0, flush_allowed)

    def connect(self) -> None:
        """Register the SQLite flush function on every new connection (call once, from the app's ready())."""
        connection_created.connect(self.register_sqlite_function, dispatch_uid=self.flush_function, weak=False)
