"""Anonymise the households whose retention period has passed (issue 14; `households.retention`;
docs/security.md, "Retention and anonymisation").

Safe to run daily from cron (`0 3 * * * cd /srv/warmhuis && .venv/bin/python manage.py anonymise_expired`): each
household is anonymised in its own transaction, checked again under its lock, and recorded as an act of the
system; an anonymised household is not found again, so a second run does nothing.

    python manage.py anonymise_expired                      # anonymise what is due now
    python manage.py anonymise_expired --dry-run            # only list what would be anonymised
    python manage.py anonymise_expired --programme SLUG     # one programme
    python manage.py anonymise_expired -v 2                 # also list the households kept longer, and until when

After the households, the real run also forgets the short-lived files of personal data every app registered
(`accounts.retention`: imports' rows, inzage exports, list exports, the province's files per address).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import retention
from budget.models import Programme
from households.retention import anonymise_if_due, retention_review


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else "-"


def _since(household) -> str:
    """Where its retention period runs from: closing, or (left registered) its last change."""
    if household.closed_at is None and household.status == household.Status.REGISTERED:
        return f"registered, last changed on {_day(household.updated_at)}"
    return f"closed on {_day(household.closed_at)}"


class Command(BaseCommand):
    help = "Anonymise the personal data of closed (or left registered) households whose retention period has passed."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be anonymised; change nothing.")
        parser.add_argument("--programme", metavar="SLUG", help="Only the households of this programme.")

    def handle(self, *args, dry_run=False, programme=None, verbosity=1, **options):
        if programme is not None:
            try:
                programme = Programme.objects.get(slug=programme)
            except Programme.DoesNotExist:
                raise CommandError(f"No programme with the slug {programme!r}.") from None
        now = timezone.now()
        review = retention_review(now, programme)
        due = [verdict for verdict in review if verdict.is_due]
        anonymised = 0
        for verdict in due:
            household = verdict.household
            line = (f"{household.reference} ({household.programme.slug}): {_since(household)}, "
                    f"due since {_day(verdict.due_at)}, reason {verdict.reason}")
            if dry_run:
                self.stdout.write(f"would anonymise {line}")
                continue
            removed = anonymise_if_due(household, now=now)
            if removed is None:  # reopened, anonymised or held meanwhile
                self.stdout.write(f"skipped {household.reference}: no longer due")
                continue
            anonymised += 1
            counts = ", ".join(f"{app}: " + " ".join(f"{name} {count}" for name, count in sorted(found.items()))
                               for app, found in sorted(removed.items()) if found)
            self.stdout.write(f"anonymised {line} ({counts})")
        held = [verdict for verdict in review if not verdict.is_due]
        if verbosity >= 2:
            for verdict in held:
                household = verdict.household
                until = _day(verdict.due_at) if verdict.due_at else "an application in progress has ended"
                self.stdout.write(f"kept {household.reference} ({household.programme.slug}): {_since(household)}, "
                                  f"kept until {until}")
        if dry_run:
            self.stdout.write(f"{len(due)} household(s) would be anonymised; {len(held)} kept longer. "
                              "Nothing was changed (dry run).")
        else:
            self.stdout.write(f"{anonymised} household(s) anonymised; {len(held)} kept longer.")
            forgotten = retention.forget_expired(now)  # the short-lived files of personal data, too
            self.stdout.write("Expired files forgotten: " + ", ".join(
                f"{name} {count}" for name, count in forgotten.items()) + ".")
