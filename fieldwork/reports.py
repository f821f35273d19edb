"""The resident's report (DESIGN.md "fieldwork/"; issue 12, "The resident's report"): after the intake and after the
installation, a one-page PDF for the resident — the advice, the measures installed, the estimated yearly savings
and who to call — rendered in the background (`fieldwork.tasks.render_resident_report`), e-mailed when the
household has an address, printable from the household page otherwise.
"""

from django.db import transaction

from accounts.audit import moment_of_acts
from fieldwork.models import ResidentReport, Visit


def request_report(visit: Visit) -> ResidentReport:
    """A report for the visit just recorded, rendered by the background worker after commit."""
    report = ResidentReport.objects.create(visit=visit)
    announce = moment_of_acts() is None  # a visit entered afterwards (the demo) is not e-mailed now

    def enqueue():
        from fieldwork.tasks import render_resident_report

        render_resident_report.enqueue(report.pk, announce=announce)

    transaction.on_commit(enqueue)
    return report


def render_report(report_id: int, *, announce: bool = True) -> ResidentReport:
    """Render the PDF and mark the report ready; e-mail it to the household when `announce` and it has an address.
    (Written by the helper for the resident's report.)"""
    raise NotImplementedError
