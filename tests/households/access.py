"""Access expectations for every household page (and, below, API route).

The household is assigned to `handyman` and `community`, registered by the coordinator. A household
that is not yours is 404 (its existence is not revealed); one you may see but not act on is 403.
Posting an empty form is 200 (the form again, with its errors) for whoever may act.
"""

from tests.access import Url
from tests.factories import HouseholdFactory


def build(ctx):
    household = HouseholdFactory(programme=ctx.programme, handyman=ctx.users["handyman"],
                                 community_worker=ctx.users["community"], registered_by=ctx.users["coordinator"])
    return {"household": household}


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
]
