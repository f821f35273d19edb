"""The bench of issue 10 (`make bench`) at a small scale, so it keeps working as the code changes."""

import io

from django.core.management import call_command

from bench.build import Scale, build
from bench.report import run_bench
from budget.models import LedgerEntry
from fieldwork.models import Visit
from households.models import Household, ReferenceCounter
from subsidy.models import Package


def test_the_bench_builds_a_reconciled_programme_and_every_page_answers(programme, second_factor_required):
    build(Scale(households=300, entries=3_000), say=lambda line: None)

    report = run_bench(programme, runs=2, warm_up=1, import_rows=100, say=lambda line: None)

    assert Household.objects.filter(programme=programme).count() == 300  # the import was undone
    assert LedgerEntry.objects.filter(line__programme=programme).count() == 3_000
    assert ReferenceCounter.objects.get(programme=programme).last_number == 300
    assert Visit.objects.filter(household__programme=programme).exists()
    assert Package.objects.filter(programme=programme, status="installed").exists()
    failed = [(timing.page.name, timing.status, timing.error) for timing in report.timings if timing.status != 200]
    assert not failed  # as staff who gave the second factor: no page sends the bench to the code page
    assert len(report.timings) >= 13
    assert {"view log (who looked), newest", "staff and their second factor"} <= {t.page.name for t in report.timings}
    jobs = {job.name: job.result for job in report.jobs}
    assert "due" in jobs["retention review of the register (daily run)"]
    assert jobs["inzage export of the busiest household"].startswith("PDF ")
    assert Household.objects.filter(anonymised_at__isnull=False).count() == 0  # anonymising was undone
    assert all(timing.queries > 0 and len(timing.seconds) == 2 for timing in report.timings)
    assert (report.imported.status, report.imported.registered) == ("done", 100), report.imported.errors
    assert len(report.imported.seconds) == 3 and report.imported.rows_per_second > 0  # the median of three runs
    output = io.StringIO()
    call_command("reconcile_budget", stdout=output)  # raises CommandError when a line differs
    assert "agree" in output.getvalue()
