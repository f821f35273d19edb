"""Access expectations for every fieldwork page and API route (see tests/access.py and tests/subsidy/access.py).

One module per part, each with `URLS` and, when it needs objects of its own, `MAKERS` (name → a function of the
objects that makes it): access_agenda (agenda, planning, referrals, defect reports), access_visits (recording the
visits), access_workload (the coordinator's workload and reassigning), access_residents (the resident's report),
access_api. Objects are made when a URL first asks for them (`tests.subsidy.access.Objects`). The shared household
("household") is assigned to `handyman` and `community`, active and assessed eligible for small and medium measures.
"""

from tests.factories import assessed_household
from tests.fieldwork import access_agenda, access_api, access_residents, access_visits, access_workload
from tests.subsidy.access import Objects

PARTS = (access_agenda, access_visits, access_workload, access_residents, access_api)


def household(objects):
    people = objects["people"]
    return assessed_household(people["handyman"], community_worker=people["community"])


def build(ctx):
    makers = {"people": lambda objects: ctx.users, "programme": lambda objects: ctx.programme,
              "household": household}
    for part in PARTS:
        makers.update(getattr(part, "MAKERS", {}))
    return Objects(makers)


URLS = [url for part in PARTS for url in part.URLS]
