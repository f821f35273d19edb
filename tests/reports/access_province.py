"""Access expectations: the province part of the reports (see tests/reports/access.py).

Only the coordinator makes and downloads the province's export (reports.export_for_province); every other role
gets 403, before any export is looked up. An empty POST by the coordinator shows the form again with its errors
(200); a valid one asks for an export and goes to its status page (302). The export of the status and download
pages is a finished one (made here, not by the task), so the download answers 200.
"""

from tests.access import Url
from tests.subsidy.expect import expect

COORDINATOR_ONLY = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=403, coordinator=200)
COORDINATOR_DONE = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=403, coordinator=302)


def _finished_export(objects):
    from reports.models import ProvinceExport

    return ProvinceExport.objects.create(
        programme=objects["programme"], requested_by=objects["people"]["coordinator"], file_format="csv",
        scope={"level": "postcode6"}, status=ProvinceExport.Status.DONE, content=b"area_level;area;dwellings\r\n",
        counts={"rows": 0, "dwellings": 0, "suppressed_cells": 0})


MAKERS = {"province_export": _finished_export}


def _export(objects):
    return {"pk": objects["province_export"].pk}


def _valid_request(objects):
    return {"programme": objects["programme"].pk, "level": "postcode6", "file_format": "json"}


URLS = [
    Url("reports:province", COORDINATOR_ONLY),
    Url("reports:province", COORDINATOR_ONLY, method="post", data={}),
    Url("reports:province", COORDINATOR_DONE, method="post", data=_valid_request),
    Url("reports:province_status", COORDINATOR_ONLY, kwargs=_export),
    Url("reports:province_download", COORDINATOR_ONLY, kwargs=_export),
]
