"""`manage.py flush`, which on SQLite may also empty the append-only tables (accounts.db_guard: the view log, the
budget ledger).

Emptying the whole database (what tests do between transactional tests) is the one act that removes
their rows; everything else is refused by the database's triggers.
"""

from django.core.management.commands import flush

from accounts.db_guard import flushing_the_whole_database


class Command(flush.Command):
    def handle(self, **options):
        with flushing_the_whole_database():
            return super().handle(**options)
