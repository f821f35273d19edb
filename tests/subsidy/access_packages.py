"""Access expectations: the handyman's package pages (see tests/subsidy/access.py).

The household is assigned to `handyman` and `community`; `handyman2` does not work on it, so its pages are 404 for
him (its existence is not revealed). Proposing: the household's handyman and the coordinator.
"""

from tests.access import Url
from tests.factories import assessed_household
from tests.subsidy.expect import expect

PROPOSES = expect(handyman=200, community=403, assessor=403, finance=403, coordinator=200)


def _household(objects):
    people = objects["people"]
    return assessed_household(people["handyman"], community_worker=people["community"])


MAKERS = {"package_household": _household}

URLS = [
    Url("subsidy:propose_package", PROPOSES, kwargs=lambda o: {"household_pk": o["package_household"].pk}),
]
