"""One run of the bench on a built programme: the pages' table, then the import's rows per second."""

import datetime
import os
import platform
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection

from bench.importing import ImportResult, time_import
from bench.measure import HEADER, Timing, measure, pages
from bench.reports import JobTiming, time_report_jobs
from bench.security import ensure_view_log, time_security_jobs
from budget.models import LedgerEntry, Programme
from households.models import Household


@dataclass
class Report:
    timings: list[Timing]
    imported: ImportResult | None
    jobs: list[JobTiming] = field(default_factory=list)

    @property
    def all_pages_answered(self) -> bool:
        return all(timing.status == 200 for timing in self.timings)


def run_bench(programme: Programme, *, runs: int, warm_up: int = 2, import_rows: int = 10_000, import_runs: int = 3,
              say=print) -> Report:
    say(heading(programme, runs=runs, warm_up=warm_up))
    ensure_view_log(programme, say=say)
    say(HEADER)
    timings = measure(pages(programme), runs=runs, warm_up=warm_up, say=say)
    say("URLs with parameters: " + "; ".join(f"{timing.page.url}" for timing in timings if "?" in timing.page.url))
    say("Background jobs (issue 13), each once as the worker runs it:")
    jobs = time_report_jobs(programme, say=say)
    say("Issue 14's jobs, each once:")
    jobs += time_security_jobs(programme, say=say)
    imported = None
    if import_rows:
        User = get_user_model()
        coordinator = User.objects.filter(groups__name="coordinator").order_by("username").first()
        handymen = list(User.objects.filter(groups__name="handyman").order_by("username")
                        .values_list("username", flat=True))
        imported = time_import(programme, requested_by=coordinator, rows=import_rows, handymen=handymen,
                               runs=import_runs)
        say(str(imported))
    return Report(timings=timings, imported=imported, jobs=jobs)


def heading(programme: Programme, *, runs: int, warm_up: int) -> str:
    households = Household.objects.filter(programme=programme).count()
    entries = LedgerEntry.objects.filter(line__programme=programme).count()
    database = f"{connection.display_name} {'.'.join(map(str, connection.get_database_version()))}"
    now = datetime.datetime.now(datetime.UTC)
    return (f"Warmhuis bench, {now:%Y-%m-%d %H:%M} UTC, {platform.node()} ({os.cpu_count()} cores), {database}; "
            f"{households:,} households, {entries:,} ledger entries; {runs} runs after {warm_up} warm-up")
