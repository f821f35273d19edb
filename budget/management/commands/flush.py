"""`manage.py flush`, which on SQLite may also empty the append-only ledger (see budget.ledger_guard).

Emptying the whole database (what tests do between transactional tests) is the one act that removes
ledger entries; everything else is refused by the database's triggers.
"""

from django.core.management.commands import flush

from budget.ledger_guard import flushing_the_whole_database


class Command(flush.Command):
    def handle(self, **options):
        with flushing_the_whole_database():
            return super().handle(**options)
