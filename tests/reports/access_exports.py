"""Access expectations: the lists' exports (see tests/reports/access.py).

Asking for an export is a POST from the list's buttons: whoever may see the list may export it (302 to the export's
page; the rows are then scoped to them, see tests/reports/test_exports.py), the others get 403 — anonymous is sent
to the login page. A GET is refused as a method after the login. The export's page and its file are for the user who
asked only (here the finance officer asked for the ledger): everyone else gets 404, whatever their role.
"""

from tests.access import Url
from tests.subsidy.expect import expect

POST = "post"
FILE = {"file_format": "csv", "filters": ""}
ANY_STAFF = expect(handyman=302, handyman2=302, community=302, assessor=302, finance=302, coordinator=302)


def _kind(name: str):
    return lambda objects: {"kind": name}


def _finance_ledger_export(objects):
    from budget.models import BudgetLine
    from reports.exports import make_list_export
    from reports.models import ListExport

    line = BudgetLine.objects.filter(programme=objects["programme"]).first()
    export = ListExport.objects.create(kind="ledger", filters={"line": [str(line.pk)]}, file_format="csv",
                                       requested_by=objects["people"]["finance"])
    make_list_export.call(export.pk)
    return export


MAKERS = {"list_export": _finance_ledger_export}


def _export(objects):
    return {"pk": objects["list_export"].pk}


ONLY_WHO_ASKED = expect(handyman=404, community=404, assessor=404, finance=200, coordinator=404)

URLS = [
    Url("reports:start_list_export", ANY_STAFF, kwargs=_kind("households"), method=POST,
        data=FILE),
    Url("reports:start_list_export", ANY_STAFF, kwargs=_kind("applications"), method=POST, data=FILE),
    Url("reports:start_list_export", expect(handyman=403, handyman2=403, community=403, assessor=302, finance=403,
                                            coordinator=302), kwargs=_kind("queue"), method=POST, data=FILE),
    Url("reports:start_list_export", expect(handyman=302, handyman2=302, community=403, assessor=403, finance=403,
                                            coordinator=302), kwargs=_kind("visits"), method=POST, data=FILE),
    Url("reports:start_list_export", expect(handyman=403, handyman2=403, community=403, assessor=403, finance=302,
                                            coordinator=302), kwargs=_kind("packages"), method=POST, data=FILE),
    Url("reports:start_list_export", expect(handyman=403, handyman2=403, community=403, assessor=403, finance=302,
                                            coordinator=302), kwargs=_kind("ledger"), method=POST, data=FILE),
    Url("reports:start_list_export", expect(handyman=405, handyman2=405, community=405, assessor=405, finance=405,
                                            coordinator=405), kwargs=_kind("households")),
    Url("reports:list_export", ONLY_WHO_ASKED, kwargs=_export),
    Url("reports:list_export_download", ONLY_WHO_ASKED, kwargs=_export),
]
