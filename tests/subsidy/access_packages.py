"""Access expectations: the handyman's package pages (see tests/subsidy/access.py).

The household is assigned to `handyman` and `community`; `handyman2` does not work on it, so its pages are 404 for
him (its existence is not revealed). Seeing a package: whoever sees the household. Proposing and cancelling: the
household's handyman and the coordinator; whoever may do it gets the page again with the form's errors (200) for
an empty POST, the others who see the household 403. The package is approved at once (two LED lamps), so it can
be cancelled.
"""

from tests.access import Url
from tests.factories import assessed_household, product
from tests.subsidy.expect import expect

SEES = expect(handyman=200, community=200, assessor=200, finance=200, coordinator=200)
ACTS = expect(handyman=200, community=403, assessor=403, finance=403, coordinator=200)
# Cancelling is a POST: a GET is refused as a method (after the login).
GET_ON_ACT = expect(handyman=405, handyman2=405, community=405, assessor=405, finance=405, coordinator=405)


def _household(objects):
    people = objects["people"]
    return assessed_household(people["handyman"], community_worker=people["community"])


def _approved_package(objects):
    from subsidy import packages

    return packages.propose(objects["package_household"], by=objects["people"]["handyman"],
                            items={product("LED-lamp").pk: 2})


MAKERS = {"package_household": _household, "package": _approved_package}


def on_household(objects):
    return {"household_pk": objects["package_household"].pk}


def on_package(objects):
    return {"pk": objects["package"].pk}


URLS = [
    Url("subsidy:propose_package", ACTS, kwargs=on_household),
    Url("subsidy:propose_package", ACTS, kwargs=on_household, method="post", data={}),
    Url("subsidy:package", SEES, kwargs=on_package),
    Url("subsidy:cancel_package", ACTS, kwargs=on_package, method="post", data={}),
    Url("subsidy:cancel_package", GET_ON_ACT, kwargs=on_package),
]
