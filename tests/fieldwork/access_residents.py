"""Access expectations: the resident's report (see tests/fieldwork/access.py).

The report of the shared household's intake is downloaded by whoever sees the household: its handyman and community
worker, and the roles that see every household. `handyman2` does not work on it: 404 (its existence is not
revealed). A report still being prepared is 404 for everyone.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from fieldwork import services
from fieldwork.models import ResidentReport
from tests.access import Url
from tests.factories import PDF_BYTES

SEES = {"anonymous": 302, "handyman": 200, "handyman2": 404, "community": 200, "assessor": 200, "finance": 200,
        "coordinator": 200}
NOT_READY = {"anonymous": 302, "handyman": 404, "handyman2": 404, "community": 404, "assessor": 404, "finance": 404,
             "coordinator": 404}


def intake_report(objects) -> ResidentReport:
    """The report the intake asked for (still being prepared: the commit never comes in a test)."""
    handyman = objects["people"]["handyman"]
    visit = services.plan_visit(objects["household"], by=handyman,
                                planned_at=timezone.now() - datetime.timedelta(hours=2))
    services.record_intake(visit, by=handyman, findings={
        "glazing": "double", "roof_insulation": "none", "floor_insulation": "none", "wall_insulation": "partly",
        "advised_measure": "roof"})
    return visit.reports.get()


def ready_report(objects) -> ResidentReport:
    report = objects["pending_report"]
    report.file.save("verslag.pdf", ContentFile(PDF_BYTES), save=False)
    report.status = ResidentReport.Status.READY
    report.rendered_at = timezone.now()
    report.save()
    return report


MAKERS = {"pending_report": intake_report, "ready_report": ready_report}

URLS = [
    Url("fieldwork:resident_report", SEES, kwargs=lambda objects: {"pk": objects["ready_report"].pk}),
    Url("fieldwork:resident_report", NOT_READY, kwargs=lambda objects: {"pk": objects["pending_report"].pk}),
]
