from django.core.management.base import BaseCommand, CommandError

from budget.models import Programme
from budget.selectors import reconcile


class Command(BaseCommand):
    help = ("Recompute every budget line's open commitments and spending from the ledger and report any "
            "difference from the cached totals. Exits with an error when a line differs (for monitoring).")

    def add_arguments(self, parser):
        parser.add_argument("--programme", help="Only this programme (its code, e.g. hilversum-2022).")

    def handle(self, *args, programme=None, **options):
        selected = None
        if programme:
            selected = Programme.objects.filter(slug=programme).first()
            if selected is None:
                raise CommandError(f"No programme {programme!r}.")
        rows = reconcile(selected)
        differing = 0
        for row in rows:
            if row.agrees:
                self.stdout.write(f"ok      {row.line}: committed {row.cached.committed}, spent {row.cached.spent} "
                                  f"({row.entries} entries)")
                continue
            differing += 1
            self.stdout.write(self.style.ERROR(
                f"DIFFERS {row.line}: committed {row.cached.committed} cached vs {row.from_ledger.committed} in the "
                f"ledger ({row.committed_difference:+}); spent {row.cached.spent} cached vs "
                f"{row.from_ledger.spent} in the ledger ({row.spent_difference:+}); {row.line.entry_count} entries "
                f"counted vs {row.entries} in the ledger; month summaries differing: "
                f"{', '.join(f'{month:%Y-%m}' for month in row.months_differing) or 'none'}"))
        if differing:
            raise CommandError(f"{differing} of {len(rows)} budget line(s) differ from their ledger.")
        self.stdout.write(self.style.SUCCESS(f"All {len(rows)} budget line(s) agree with their ledger."))
