# ruff: noqa: S311 (a seeded generator writes the same file on every run; nothing here is a secret)
"""Timing the household import: a generated spreadsheet in the template's columns, run as the tasks run it.

The file is written with openpyxl (Dutch headers of `households.imports.HEADERS`, values as people
type them: "1385,00", "15-03-2023", "ja"), checked by the dry run (`households.imports.check_import`) and then
imported by `households.imports.run_import`, the way the two background tasks do, in this process; each is timed.
It all happens in a transaction that is rolled back afterwards,
so the bench database keeps its scale and the next run imports into the same register.
"""

import io
import random
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from openpyxl import Workbook

from accounts.models import AuditEvent
from bench.build import CORPORATIONS, LETTERS, STREETS, SURNAMES, TITLES, postcode
from eligibility.codes import EnergyLabel, HouseholdType, Tenure
from households.imports import HEADERS, TEMPLATE_COLUMNS, check_import, run_import
from households.models import (
    Consent,
    Dwelling,
    DwellingType,
    Household,
    HouseholdImport,
    ReferenceCounter,
    ReferralSource,
)


@dataclass
class ImportResult:
    rows: int
    seconds: list[float]  # the import's, one per run
    status: str
    registered: int
    errors: list = field(default_factory=list)
    dry_run_seconds: list[float] = field(default_factory=list)  # the dry run's before each import

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds) if self.seconds else 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.median_seconds if self.median_seconds else 0.0

    def __str__(self) -> str:
        start = f"household import of {self.rows:,} rows (xlsx): "
        if self.status == HouseholdImport.Status.DONE and self.registered == self.rows:
            runs = ", ".join(f"{seconds:,.1f}" for seconds in self.seconds)
            checks = ", ".join(f"{seconds:,.1f}" for seconds in self.dry_run_seconds)
            dry_run = statistics.median(self.dry_run_seconds) if self.dry_run_seconds else 0.0
            return (f"{start}dry run {dry_run:,.1f} s (runs: {checks} s), then import {self.median_seconds:,.1f} s, "
                    f"{self.rows_per_second:,.0f} rows/s (median of {len(self.seconds)} runs: {runs} s; "
                    f"{self.registered:,} registered)")
        outcome = f"{self.status} after {self.seconds[-1]:,.1f} s, {self.registered:,} households registered"
        if self.errors:
            first = self.errors[0]
            outcome += f"; first error (row {first.get('row')}, {first.get('column') or '-'}): {first.get('message')}"
        return f"{start}{outcome}"


def workbook(rows: int, *, handymen: list[str], rng: random.Random) -> bytes:
    """An xlsx in the import template's columns with `rows` plausible households."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Huishoudens")
    sheet.append([HEADERS.get(column, column) for column in TEMPLATE_COLUMNS])
    for _ in range(rows):
        cells = _row(handymen, rng)
        sheet.append([cells.get(column, "") for column in TEMPLATE_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(handymen: list[str], rng: random.Random) -> dict[str, str]:
    tenure = rng.choice(Tenure.values)
    return {
        "contact_name": f"{rng.choice(TITLES)} {rng.choice(LETTERS)}. {rng.choice(SURNAMES)}",
        "phone": f"06 {rng.randrange(10_000_000, 99_999_999)}", "household_type": rng.choice(HouseholdType.values),
        "residents": str(rng.randint(1, 6)),
        "net_monthly_income": f"{rng.randrange(950, 3200)},{rng.randrange(100):02d}",
        "energy_allowance": rng.choice(["ja", "nee"]), "referral_source": rng.choice(ReferralSource.values),
        "street": rng.choice(STREETS), "house_number": str(rng.randint(1, 400)),
        "postcode": postcode(rng), "city": "Hilversum",
        "energy_label": rng.choice(EnergyLabel.values), "dwelling_type": rng.choice(DwellingType.values),
        "build_year": str(rng.randint(1900, 1995)), "floor_area_m2": f"{rng.randint(40, 140)},{rng.randrange(10)}",
        "tenure": tenure, "housing_corporation": rng.choice(CORPORATIONS) if tenure == Tenure.SOCIAL_RENT else "",
        "handyman": rng.choice(handymen) if handymen else "",
        "consent_statement_version": "2022-1", "consent_given_on": f"{rng.randint(1, 28)}-{rng.randint(1, 12)}-2024",
        "consent_processing": "ja", "consent_share_address_level": rng.choice(["ja", "nee"]),
    }


def time_import(programme, *, requested_by, rows: int, handymen: list[str], seed: int = 12,
                runs: int = 1) -> ImportResult:
    """Import `rows` generated households synchronously `runs` times, time each, check they were registered, undo
    it. On PostgreSQL, outside a transaction, the tables are vacuumed before each run (as autovacuum would clean
    up after the run before), so that each run starts from the same state."""
    content = workbook(rows, handymen=handymen, rng=random.Random(seed))
    result = ImportResult(rows=rows, seconds=[], status="", registered=0)
    for _ in range(runs):
        _vacuum_register()
        checking, seconds, job, registered = _import_once(programme, requested_by=requested_by, content=content)
        result.dry_run_seconds.append(checking)
        result.seconds.append(seconds)
        result.status, result.registered, result.errors = job.status, registered, job.errors
        if job.status != HouseholdImport.Status.DONE:
            break
    return result


def _import_once(programme, *, requested_by, content: bytes) -> tuple[float, float, HouseholdImport, int]:
    """The dry run, then (when it found nothing to refuse) the import of the same job: their seconds."""
    with transaction.atomic():
        before = Household.objects.filter(programme=programme).count()
        created = HouseholdImport.objects.create(programme=programme, filename="bench.xlsx", content=content,
                                                 requested_by=requested_by, language="nl")
        job = HouseholdImport.objects.select_related("programme", "requested_by").get(pk=created.pk)  # as the task
        start = time.perf_counter()
        check_import(job)
        checking = time.perf_counter() - start
        seconds = 0.0
        job.refresh_from_db()
        if job.status == HouseholdImport.Status.CHECKED:
            job = HouseholdImport.objects.select_related("programme", "requested_by").get(pk=created.pk)
            start = time.perf_counter()
            run_import(job)
            seconds = time.perf_counter() - start
            job.refresh_from_db()
        registered = Household.objects.filter(programme=programme).count() - before
        transaction.set_rollback(True)  # the bench database keeps its scale
    return checking, seconds, job, registered


def _vacuum_register() -> None:
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (Household, Dwelling, Consent, AuditEvent, ReferenceCounter, HouseholdImport):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
