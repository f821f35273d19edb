"""The database itself refuses to change or remove rows of the view log (issue 14, "Who looked").

The triggers come from accounts.db_guard, like the budget ledger's (budget.ledger_guard): the model and its queryset
refuse `save()` of a stored row, `delete()` and bulk `update()`/`delete()` (accounts.append_only), and these
triggers refuse a raw UPDATE or DELETE. On SQLite only `manage.py flush` may empty the table (accounts.db_guard).

Caution for later migrations: on SQLite, altering the view log's table rebuilds it and drops its triggers; such a
migration must install them again (tests/accounts/test_view_log.py notices).
"""

from accounts.db_guard import AppendOnlyTable, flushing_the_whole_database

__all__ = ["VIEW_LOG", "connect", "flushing_the_whole_database", "install_triggers", "remove_triggers"]

VIEW_LOG = AppendOnlyTable(
    "accounts_viewlog",
    prefix="accounts_viewlog",
    message="accounts_viewlog is append-only: who looked is never changed or removed",
)

install_triggers = VIEW_LOG.install_triggers  # accounts migration 0005
remove_triggers = VIEW_LOG.remove_triggers
connect = VIEW_LOG.connect
