"""Issue 13 at a city's scale: the reports' pages (measured with the others) and their background jobs, each timed
once as the worker would run it — the programme report as PDF and as xlsx, a scenario, the province's export per
postcode-6, and the export of every household and of a line's whole ledger."""

import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from bench.measure import Page
from budget.models import BudgetLine, Programme


def report_pages(programme: Programme, *, coordinator, finance) -> list[Page]:
    """The programme report over the whole programme, a "what if" at 150 %, the province export's page."""
    today = timezone.localdate()
    period = urlencode({"programme": programme.slug, "starts_on": programme.starts_on.isoformat(),
                        "ends_on": min(today, programme.ends_on).isoformat()})
    what_if = urlencode({"programme": programme.slug, "income_percentage": "150", "label_from": "C",
                         "max_large_grant": "7000"})
    return [
        Page("programme report, whole programme", finance.username, f"{reverse('reports:programme')}?{period}"),
        Page("what if: 150 %, € 7,000", coordinator.username, f"{reverse('reports:scenarios')}?{what_if}"),
        Page("province export page", coordinator.username, reverse("reports:province")),
    ]


@dataclass
class JobTiming:
    name: str
    seconds: float
    result: str

    def __str__(self) -> str:
        return f"{self.name:<46} {self.seconds:>8.1f} s  {self.result}"


def _timed(name: str, job) -> JobTiming:
    started = time.perf_counter()
    result = job()
    return JobTiming(name, time.perf_counter() - started, result)


def time_report_jobs(programme: Programme, *, say=print) -> list[JobTiming]:
    """Each job once, run here as the worker runs it (the task's function, not the queue)."""
    from reports.exports import KINDS, ask_for_export, make_list_export
    from reports.models import FileFormat, ListExport, ProvinceExport, ReportFile
    from reports.programme import make_report_file
    from reports.province import make_province_export
    from reports.scenarios import ScenarioValues, run_scenario

    User = get_user_model()
    coordinator = User.objects.filter(groups__name="coordinator").order_by("username").first()
    finance = User.objects.filter(groups__name="finance_officer").order_by("username").first()
    today = timezone.localdate()
    ends_on = min(today, programme.ends_on)
    busiest = (BudgetLine.objects.filter(programme=programme).annotate(booked=Count("entries"))
               .order_by("-booked").first())
    timings = []

    def report_file(file_format):
        made = ReportFile.objects.create(programme=programme, starts_on=programme.starts_on, ends_on=ends_on,
                                         file_format=file_format, requested_by=finance)
        size = make_report_file.call(made.pk)
        ReportFile.objects.filter(pk=made.pk).delete()
        return f"{size:,} bytes"

    def province():
        export = ProvinceExport.objects.create(programme=programme, requested_by=coordinator,
                                               file_format=FileFormat.CSV, scope={"level": "postcode6"})
        rows = make_province_export.call(export.pk)
        return f"{rows:,} rows"

    def list_export(kind, user, filters):
        export = ask_for_export(KINDS[kind], by=user, filters=QueryDict(filters), file_format=FileFormat.XLSX)
        rows = make_list_export.call(export.pk)
        ListExport.objects.filter(pk=export.pk).delete()
        return f"{rows:,} rows"

    def scenario():
        result = run_scenario(programme, ScenarioValues(income_percentage=Decimal("150"),
                                                        worst_non_qualifying_label="B",
                                                        max_large_grant=Decimal("7000.00")))
        return f"{result.households:,} households"

    jobs = [
        ("programme report, PDF", lambda: report_file(FileFormat.PDF)),
        ("programme report, xlsx", lambda: report_file(FileFormat.XLSX)),
        ("what if at 150 % (whole register)", scenario),
        ("province export per postcode-6, CSV", province),
        ("export: every household (xlsx)", lambda: list_export("households", coordinator, "")),
        (f"export: ledger of {busiest.kind} (xlsx)", lambda: list_export("ledger", finance, f"line={busiest.pk}")),
    ]
    for name, job in jobs:
        timing = _timed(name, job)
        say(str(timing))
        timings.append(timing)
    return timings
