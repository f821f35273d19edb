"""`manage.py flush`, which on SQLite may also empty the append-only ledger and view log (budget.ledger_guard,
accounts.viewlog_guard).

Emptying the whole database (what tests do between transactional tests) is the one act that removes
ledger entries; everything else is refused by the database's triggers.
"""

from django.core.management.commands import flush

from accounts.viewlog_guard import flushing_the_whole_database as flushing_the_view_log
from budget.ledger_guard import flushing_the_whole_database


class Command(flush.Command):
    def handle(self, **options):
        with flushing_the_whole_database(), flushing_the_view_log():
            return super().handle(**options)
