"""Access expectations: the coordinator's package pages (see tests/subsidy/access.py).

The catalogue and the decisions on packages above the limit per dwelling are the coordinator's; the figures also
finance's. None of these pages is about a household of the user's, so everyone else gets 403 (`handyman2` too: the
waiting package's household is `handyman`'s, but the page refuses him before any package is looked up). An empty
POST is the page again with its form's errors for the coordinator (200), nothing changed.
"""

from subsidy import packages
from tests.access import Url
from tests.factories import assessed_household, product
from tests.subsidy.expect import expect

COORDINATES = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=403, coordinator=200)
SEES_FIGURES = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=200, coordinator=200)
# Acts are POSTs: a GET is refused as a method (after the login).
GET_ON_ACT = expect(handyman=405, handyman2=405, community=405, assessor=405, finance=405, coordinator=405)


def _waiting_package(objects):
    """Eight radiator fans (€ 360,00): above the € 330,00 limit, waiting for the coordinator."""
    people = objects["people"]
    household = assessed_household(people["handyman"], community_worker=people["community"])
    return packages.propose(household, by=people["handyman"], items={product("Radiatorventilator").pk: 8},
                            motivation="Acht radiatoren")


MAKERS = {
    "catalogue_product": lambda objects: product("LED-lamp"),
    "catalogue_waiting_package": _waiting_package,
}


def on_product(objects):
    return {"pk": objects["catalogue_product"].pk}


def on_waiting_package(objects):
    return {"pk": objects["catalogue_waiting_package"].pk}


URLS = [
    Url("subsidy:catalogue", COORDINATES),
    Url("subsidy:add_product", COORDINATES),
    Url("subsidy:add_product", COORDINATES, method="post", data={}),
    Url("subsidy:edit_product", COORDINATES, kwargs=on_product),
    Url("subsidy:edit_product", COORDINATES, kwargs=on_product, method="post", data={}),
    Url("subsidy:set_price", COORDINATES, kwargs=on_product, method="post", data={}),
    Url("subsidy:set_price", GET_ON_ACT, kwargs=on_product),
    Url("subsidy:packages_waiting", COORDINATES),
    Url("subsidy:decide_package", COORDINATES, kwargs=on_waiting_package, method="post", data={}),
    Url("subsidy:decide_package", GET_ON_ACT, kwargs=on_waiting_package),
    Url("subsidy:package_figures", SEES_FIGURES),
]
