"""Access expectations for every household page and API route.

The household is assigned to `handyman` and `community`, registered by the coordinator. A household
that is not yours is 404 (its existence is not revealed); one you may see but not act on is 403.
Posting an empty form is 200 (the form again, with its errors) for whoever may act; in the API an
empty or bad body is 400 for them. The API answers anonymous callers 403 (session authentication first).
"""

from households.models import HouseholdImport
from tests.access import Url
from tests.factories import HouseholdFactory
from tests.households import access_erasure, access_inzage, access_privacy
from tests.households.conftest import DWELLING, HOUSEHOLD


def build(ctx):
    household = HouseholdFactory(programme=ctx.programme, handyman=ctx.users["handyman"],
                                 community_worker=ctx.users["community"], registered_by=ctx.users["coordinator"])
    job = HouseholdImport.objects.create(programme=ctx.programme, filename="huishoudens.csv", content=b"",
                                         requested_by=ctx.users["coordinator"])
    return {"household": household, "import": job}


def on_household(objects):
    return {"pk": objects["household"].pk}


def expect(anonymous=302, *, handyman, community, assessor, finance, coordinator, handyman2=404):
    return {"anonymous": anonymous, "handyman": handyman, "handyman2": handyman2, "community": community,
            "assessor": assessor, "finance": finance, "coordinator": coordinator}


EVERY_ROLE = expect(handyman=200, handyman2=200, community=200, assessor=200, finance=200, coordinator=200)
SEES = expect(handyman=200, community=200, assessor=200, finance=200, coordinator=200)
WORKS_ON = expect(handyman=200, community=200, assessor=403, finance=403, coordinator=200)
COORDINATES = expect(handyman=403, community=403, assessor=403, finance=403, coordinator=200)
HELPS = expect(handyman=403, community=200, assessor=403, finance=403, coordinator=200)
IMPORTS = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=403, coordinator=200)
REGISTERS = expect(handyman=403, handyman2=403, community=200, assessor=403, finance=403, coordinator=200)

URLS = [
    Url("households:list", expect=EVERY_ROLE),
    Url("households:detail", kwargs=on_household, expect=SEES),
    Url("households:create", expect=REGISTERS),
    Url("households:create", method="post", data={}, expect=REGISTERS),
    Url("households:edit", kwargs=on_household, expect=WORKS_ON),
    Url("households:edit", kwargs=on_household, method="post", data={}, expect=WORKS_ON),
    Url("households:consent", kwargs=on_household, expect=WORKS_ON),
    Url("households:consent", kwargs=on_household, method="post", data={}, expect=WORKS_ON),
    Url("households:assign", kwargs=on_household, expect=COORDINATES),
    Url("households:assign", kwargs=on_household, method="post", data={"handyman": "x"}, expect=COORDINATES),
    Url("households:close", kwargs=on_household, expect=HELPS),
    Url("households:close", kwargs=on_household, method="post", data={}, expect=HELPS),
    Url("households:import", expect=IMPORTS),
    Url("households:import", method="post", data={}, expect=IMPORTS),
    Url("households:import_template", expect=IMPORTS),
    Url("households:import_status", kwargs=lambda objects: {"pk": objects["import"].pk}, expect=IMPORTS),
    Url("households:import_template_xlsx", expect=IMPORTS),
    # The import of a file whose dry run has not ended: refused with a message, back to its status page.
    Url("households:import_commit", kwargs=lambda objects: {"pk": objects["import"].pk}, method="post", data={},
        expect=expect(handyman=403, handyman2=403, community=403, assessor=403, finance=403, coordinator=302)),
    Url("households:reopen", kwargs=on_household, expect=HELPS),
    Url("households:reopen", kwargs=on_household, method="post", data={}, expect=HELPS),
    Url("households:withdraw_consent", kwargs=on_household, expect=WORKS_ON),
    Url("households:withdraw_consent", kwargs=on_household, method="post", data={"note": "x" * 2001},
        expect=WORKS_ON),
    # Assessing: the coordinator, assessors and the household's own workers are sent back to the page (302,
    # here with "no consent yet"); the finance officer sees the household but may not assess it.
    Url("households:assess", kwargs=on_household, method="post",
        expect=expect(handyman=302, community=302, assessor=302, finance=403, coordinator=302)),
    Url("households:assess", kwargs=on_household,
        expect=expect(handyman=405, handyman2=405, community=405, assessor=405, finance=405, coordinator=405)),
]

API_ROLE = {"anonymous": 403}
NEW_HOUSEHOLD = {"programme": "hilversum-2022", **HOUSEHOLD, "dwelling": {**DWELLING, "energy_label_date": None}}
BAD_POSTCODE = {"dwelling": {"postcode": "0123 AB"}}

URLS += [
    Url("api-v1:household-list", expect={**EVERY_ROLE, **API_ROLE}),
    Url("api-v1:household-list", method="post", data={},
        expect={**REGISTERS, **API_ROLE, "community": 400, "coordinator": 400}),
    Url("api-v1:household-list", method="post", data=NEW_HOUSEHOLD,
        expect={**REGISTERS, **API_ROLE, "community": 201, "coordinator": 201}),
    Url("api-v1:household-detail", kwargs=on_household, expect={**SEES, **API_ROLE}),
    Url("api-v1:household-detail", kwargs=on_household, method="patch", data={"residents": 2},
        expect={**WORKS_ON, **API_ROLE}),
    Url("api-v1:household-detail", kwargs=on_household, method="patch", data=BAD_POSTCODE,
        expect={**WORKS_ON, **API_ROLE, "handyman": 400, "community": 400, "coordinator": 400}),
    Url("api-v1:household-detail", kwargs=on_household, method="put", data={},
        expect={**WORKS_ON, **API_ROLE, "handyman": 400, "community": 400, "coordinator": 400}),
    Url("api-v1:household-detail", kwargs=on_household, method="delete",
        expect={**dict.fromkeys(EVERY_ROLE, 405), **API_ROLE}),
]

URLS += access_inzage.URLS  # the resident's request for access
URLS += access_privacy.URLS  # the register of privacy statements
URLS += access_erasure.URLS  # the resident's request for erasure
