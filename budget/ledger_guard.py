"""The database itself refuses to change or remove ledger entries (DESIGN.md, "The budget ledger").

Migration 0003 installs the triggers made by accounts.db_guard (as for the view log, accounts.viewlog_guard). On
PostgreSQL they refuse every UPDATE and DELETE; on SQLite only `manage.py flush` may empty the ledger.

Caution for later migrations: on SQLite, altering the ledger table rebuilds it and drops its
triggers; such a migration must install them again (tests/budget/test_ledger_is_append_only.py notices).
"""

from accounts.db_guard import AppendOnlyTable, flushing_the_whole_database

__all__ = ["LEDGER", "connect", "flushing_the_whole_database", "install_triggers", "remove_triggers"]

LEDGER = AppendOnlyTable(
    "budget_ledgerentry",
    prefix="budget_ledger",
    message="budget_ledgerentry is append-only: book a reversal instead",
)

install_triggers = LEDGER.install_triggers  # budget migrations 0003, 0007, 0011
remove_triggers = LEDGER.remove_triggers
connect = LEDGER.connect
