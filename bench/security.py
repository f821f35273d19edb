"""Issue 14 at a city's scale: the pages of staff accounts and privacy (the view log of a million looks, the staff
list, the privacy statements) and the jobs (the daily retention review of the register, an inzage export of the
busiest household, anonymising one household, undone afterwards).

Every page of the bench is measured as a staff member who passed the second factor (`bench.measure.verified`).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, ViewLog
from bench.measure import Page
from bench.reports import JobTiming, _timed
from budget.models import Programme
from households.models import Household

VIEW_LOG_ROWS = 1_000_000


def ensure_view_log(programme: Programme, *, rows: int = VIEW_LOG_ROWS, say=print) -> None:
    """A view log of `rows` looks by the programme's staff at its households over the last year (inserted in SQL)."""
    present = ViewLog.objects.count()
    if present >= rows or connection.vendor != "postgresql":
        return
    say(f"Adding {rows - present:,} rows to the view log …")
    staff = list(get_user_model().objects.filter(groups__isnull=False).distinct().values_list("pk", flat=True))
    first, last = (Household.objects.filter(programme=programme).order_by("pk").values_list("pk", flat=True)[0],
                   Household.objects.filter(programme=programme).order_by("-pk").values_list("pk", flat=True)[0])
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_viewlog (user_id, at, kind, subject_key, subject_label, what, path)
            SELECT (%(staff)s::bigint[])[1 + (n %% cardinality(%(staff)s::bigint[]))],
                   now() - (n %% 525600) * interval '1 minute',
                   'page', 'household:' || h, %(prefix)s || '-' || lpad(h::text, 5, '0'), 'households:detail',
                   '/households/' || h || '/'
            FROM generate_series(1::bigint, %(count)s) AS n,
                 LATERAL (SELECT %(first)s + (n * 7919) %% (%(last)s - %(first)s + 1) AS h) AS household
            """,
            {"staff": staff, "count": rows - present, "first": first, "last": last,
             "prefix": programme.reference_prefix})
        cursor.execute("ANALYZE accounts_viewlog")


def security_pages(programme: Programme, *, coordinator) -> list[Page]:
    busiest = (ViewLog.objects.filter(subject_key__startswith="household:").values("subject_key")
               .order_by("subject_key").first())
    subject = busiest["subject_key"] if busiest else "household:1"
    view_log = reverse("accounts:view_log")
    return [
        Page("view log (who looked), newest", coordinator.username, view_log),
        Page("view log of one household", coordinator.username, f"{view_log}?subject={subject}"),
        Page("view log of one staff member", coordinator.username, f"{view_log}?user={coordinator.pk}"),
        Page("staff and their second factor", coordinator.username, reverse("accounts:staff")),
        Page("privacy statements", coordinator.username, reverse("households:privacy_statements")),
        Page("my account", coordinator.username, reverse("accounts:account")),
    ]


def time_security_jobs(programme: Programme, *, say=print) -> list[JobTiming]:
    from households.inzage import make_inzage_export
    from households.models import InzageExport
    from households.retention import anonymise_household, retention_review

    coordinator = get_user_model().objects.filter(groups__name="coordinator").order_by("username").first()
    now = timezone.now()
    busiest_id = (AuditEvent.objects.filter(content_type__model="household").values("object_id")
                  .annotate(events=Count("pk")).order_by("-events").values_list("object_id", flat=True).first())
    busiest = Household.objects.get(pk=busiest_id)

    def review():
        verdicts = retention_review(now, programme)
        return f"{sum(v.is_due for v in verdicts):,} due, {sum(not v.is_due for v in verdicts):,} kept"

    def inzage():
        export = InzageExport.objects.create(household=busiest, requested_by=coordinator)
        make_inzage_export.call(export.pk)
        export.refresh_from_db()
        sizes = f"PDF {len(export.pdf or b''):,} bytes, JSON {len(export.json or b''):,} bytes"
        InzageExport.objects.filter(pk=export.pk).delete()
        return sizes

    def anonymise_one():
        with transaction.atomic():
            household = Household.objects.get(pk=busiest.pk)
            removed = anonymise_household(household, now=now + datetime.timedelta(days=1), reason="retention")
            transaction.set_rollback(True)  # measured, then undone: the bench database keeps its data
        return ", ".join(f"{app} {sum(found.values())}" for app, found in sorted(removed.items()) if found) or "-"

    timings = []
    for name, job in [("retention review of the register (daily run)", review),
                      ("inzage export of the busiest household", inzage),
                      ("anonymising that household (undone)", anonymise_one)]:
        timing = _timed(name, job)
        say(str(timing))
        timings.append(timing)
    return timings
