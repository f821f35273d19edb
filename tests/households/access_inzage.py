"""Access expectations: the resident's request for access (see tests/households/access.py).

Only coordinators ask for the export (a POST from the household's page: 302 to the export's page) and see or
download it; every other role gets 403 (the household's existence is not the question here: a coordinator sees every
household), anonymous is sent to the login page. The export of the shared household is made by its coordinator, at
once, when a URL first asks for it.
"""

from households.models import InzageExport
from tests.access import Url
from tests.subsidy.expect import expect


def _export(objects) -> InzageExport:
    from households.inzage import make_inzage_export

    if "inzage" not in objects:
        household = objects["household"]
        export = InzageExport.objects.create(household=household, requested_by=household.registered_by)
        make_inzage_export.call(export.pk)
        objects["inzage"] = export
    return objects["inzage"]


def on_export(objects):
    return {"pk": _export(objects).pk}


def download(file_format: str):
    return lambda objects: {"pk": _export(objects).pk, "file_format": file_format}


ONLY_COORDINATORS = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=403, coordinator=200)

URLS = [
    Url("households:inzage_request", kwargs=lambda objects: {"pk": objects["household"].pk}, method="post",
        expect=expect(handyman=403, community=403, assessor=403, finance=403, coordinator=302)),
    Url("households:inzage_request", kwargs=lambda objects: {"pk": objects["household"].pk},
        expect=expect(handyman=405, handyman2=405, community=405, assessor=405, finance=405, coordinator=405)),
    Url("households:inzage", kwargs=on_export, expect=ONLY_COORDINATORS),
    Url("households:inzage_download", kwargs=download("pdf"), expect=ONLY_COORDINATORS),
    Url("households:inzage_download", kwargs=download("json"), expect=ONLY_COORDINATORS),
    Url("households:inzage_download", kwargs=download("xlsx"),
        expect={**ONLY_COORDINATORS, "coordinator": 404}),
]
