"""Let approved grants lapse when no payout was requested within the rule set's validity period (default 12 months).

Safe to run daily from cron: each lapse is its own transaction, recorded as an act of the system, and releases the
grant's commitment on the grants line; a grant that lapsed is not found again.

    python manage.py lapse_grants            # today
    python manage.py lapse_grants --dry-run  # only list what would lapse
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.errors import Conflict
from subsidy import services


class Command(BaseCommand):
    help = "Let approved grants without a payout request lapse after the validity period; releases their commitment."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would lapse; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        due = services.lapse_due(timezone.localdate())
        lapsed = 0
        for application in due:
            if dry_run:
                self.stdout.write(f"{application.reference}: {application.granted_amount}")
                continue
            try:
                services.lapse(application)
            except Conflict:  # changed meanwhile (a payout request came in): not lapsed
                continue
            lapsed += 1
        if dry_run:
            self.stdout.write(f"{len(due)} grant(s) would lapse.")
        else:
            self.stdout.write(f"{lapsed} grant(s) lapsed.")
