"""Access expectations: the programme part of the reports (see tests/reports/access.py).

The coordinator and the finance officer see the programme report, ask for its files and download any of them
(reports.view_programme_report); every other role gets 403, before any file is looked up. Asking for a file is a
POST: a valid one goes to the file's page (302), one without a format shows the page again with the error (200),
a GET is refused as a method (after the login). The file of the status and download pages is a finished one
(made here, not by the task), asked for by the coordinator: the finance officer may download it too.
"""

from tests.access import Url
from tests.subsidy.expect import expect

REPORT_ROLES = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=200, coordinator=200)
REPORT_ROLES_DONE = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=302, coordinator=302)
GET_ON_POST = expect(handyman=405, handyman2=405, community=405, assessor=405, finance=405, coordinator=405)
PERIOD = {"starts_on": "2022-01-01", "ends_on": "2022-12-31"}


def _finished_file(objects):
    from reports.models import ReportFile

    return ReportFile.objects.create(
        programme=objects["programme"], starts_on="2022-01-01", ends_on="2022-12-31", file_format="pdf",
        requested_by=objects["people"]["coordinator"], status=ReportFile.Status.DONE, content=b"%PDF-1.7\n%%EOF\n")


MAKERS = {"report_file": _finished_file}


def _report_file(objects):
    return {"pk": objects["report_file"].pk}


def _pdf_asked_for(objects):
    return {"programme": objects["programme"].slug, "file_format": "pdf", **PERIOD}


def _no_format(objects):
    return {"programme": objects["programme"].slug, **PERIOD}


URLS = [
    Url("reports:programme", REPORT_ROLES, data=PERIOD),
    Url("reports:programme_file_request", REPORT_ROLES_DONE, method="post", data=_pdf_asked_for),
    Url("reports:programme_file_request", REPORT_ROLES, method="post", data=_no_format),
    Url("reports:programme_file_request", GET_ON_POST),
    Url("reports:programme_file", REPORT_ROLES, kwargs=_report_file),
    Url("reports:programme_file_download", REPORT_ROLES, kwargs=_report_file),
]
