"""Access expectations: the products package API and the catalogue (see tests/subsidy/access.py and, for the
API's answers, tests/subsidy/access_api.py).

Anonymous callers get 403 (session authentication first). The packages are of a household assigned to `handyman`
and `community`, assessed eligible for small and medium measures, made through `subsidy.packages` when a URL first
asks for them: one approved at once (two LED lamps), one above the limit waiting for the coordinator (eight
radiator fans, €360). `handyman2` does not work on the household: its packages are 404 for him, and proposing one
for it is a 400 on `household` (no household with that id that he may see, as for one that does not exist).
Whoever sees the household reads its packages; its handyman and the coordinator propose, install and cancel;
only the coordinator decides an override. Each act is sent with a body that would do, so whoever may do it gets
200 (201 for proposing); tests/subsidy/test_packages_api.py says what happens then.
"""

from tests.access import Url
from tests.subsidy.expect import expect

EVERY_ROLE = expect(403, handyman=200, handyman2=200, community=200, assessor=200, finance=200, coordinator=200)
SEES = expect(403, handyman=200, community=200, assessor=200, finance=200, coordinator=200)
PROPOSES = expect(403, handyman=201, handyman2=400, community=403, assessor=403, finance=403, coordinator=201)
WORKS_ON = expect(403, handyman=200, community=403, assessor=403, finance=403, coordinator=200)
DECIDES = expect(403, handyman=403, community=403, assessor=403, finance=403, coordinator=200)


def _lamps(count: int) -> dict:
    from tests.factories import product

    return {product("LED-lamp").pk: count}


def _household(objects):
    from tests.factories import assessed_household

    people = objects["people"]
    return assessed_household(people["handyman"], community_worker=people["community"])


def _approved(objects):
    from subsidy import packages

    return packages.propose(objects["api_household"], by=objects["people"]["handyman"], items=_lamps(2))


def _waiting(objects):
    from subsidy import packages
    from tests.factories import product

    return packages.propose(objects["api_household"], by=objects["people"]["handyman"],
                            items={product("Radiatorventilator").pk: 8}, motivation="Acht radiatoren")


MAKERS = {"api_household": _household, "api_approved": _approved, "api_waiting": _waiting}


def on(name):
    return lambda objects: {"pk": objects[name].pk}


def _proposal(objects) -> dict:
    return {"household": objects["api_household"].pk,
            "items": [{"product": product, "quantity": count} for product, count in _lamps(2).items()]}


def _installed(objects) -> dict:
    return {"items": [{"product": product, "quantity": count} for product, count in _lamps(2).items()]}


URLS = [
    Url("api-v1:package-list", EVERY_ROLE),
    Url("api-v1:package-list", PROPOSES, method="post", data=_proposal),
    Url("api-v1:package-list", {**PROPOSES, "handyman": 400, "coordinator": 400}, method="post", data={}),
    Url("api-v1:package-detail", SEES, kwargs=on("api_approved")),
    Url("api-v1:package-detail", {**dict.fromkeys(EVERY_ROLE, 405), "anonymous": 403}, kwargs=on("api_approved"),
        method="delete"),
    Url("api-v1:package-approve-override", DECIDES, kwargs=on("api_waiting"), method="post",
        data={"reason": "Grote woning, acht radiatoren"}),
    Url("api-v1:package-decline", DECIDES, kwargs=on("api_waiting"), method="post",
        data={"reason": "Vier ventilatoren volstaan"}),
    Url("api-v1:package-install", WORKS_ON, kwargs=on("api_approved"), method="post", data=_installed),
    Url("api-v1:package-cancel", WORKS_ON, kwargs=on("api_approved"), method="post",
        data={"reason": "De bewoner wil niets"}),
    Url("api-v1:product-list", EVERY_ROLE),
]
