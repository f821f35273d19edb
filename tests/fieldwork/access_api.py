"""Access expectations: the visits API (see tests/fieldwork/access.py and, for the API's answers,
tests/subsidy/access_api.py).

Anonymous callers get 403 (session authentication first). The visits are of the shared "household" (its handyman
`handyman`, its community worker `community`), made through `fieldwork.services` when a URL first asks for them:
the intake planned; the intake done and the installation planned with an approved package of two LED lamps; the
installation done and the evaluation planned. `handyman2` does not work on the household: its visits are 404 for
him, and planning one for it is a 400 on `household` (no household with that id that he may see, as for one that
does not exist). Whoever sees the household reads its visits; its handyman and the coordinator plan and record
them; the others get 403. Each act is sent with a body that would do, so whoever may do it gets 200 (201 for
planning); tests/fieldwork/test_api.py says what happens then.
"""

import datetime

from django.utils import timezone

from tests.access import Url
from tests.subsidy.expect import expect

EVERY_ROLE = expect(403, handyman=200, handyman2=200, community=200, assessor=200, finance=200, coordinator=200)
SEES = expect(403, handyman=200, community=200, assessor=200, finance=200, coordinator=200)
PLANS = expect(403, handyman=201, handyman2=400, community=403, assessor=403, finance=403, coordinator=201)
RECORDS = expect(403, handyman=200, community=403, assessor=403, finance=403, coordinator=200)

FINDINGS = {"energy_label": "E", "glazing": "single", "roof_insulation": "none", "floor_insulation": "none",
            "wall_insulation": "partly", "advised_measure": "floor"}


def _soon(hours: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


def _intake(objects):
    from fieldwork import services

    return services.plan_visit(objects["household"], by=objects["people"]["handyman"], planned_at=_soon(1))


def _installation(objects):
    from fieldwork import services
    from subsidy import packages
    from tests.factories import product

    handyman = objects["people"]["handyman"]
    services.record_intake(objects["api_intake"], by=handyman, findings=FINDINGS)
    packages.propose(objects["household"], by=handyman, items={product("LED-lamp").pk: 2})
    return services.plan_visit(objects["household"], by=handyman, planned_at=_soon(2))


def _evaluation(objects):
    from fieldwork import services
    from tests.factories import product

    handyman = objects["people"]["handyman"]
    services.record_installation(objects["api_installation"], by=handyman, quantities={product("LED-lamp").pk: 2})
    return services.plan_visit(objects["household"], by=handyman, planned_at=_soon(3), mode="by_phone")


MAKERS = {"api_intake": _intake, "api_installation": _installation, "api_evaluation": _evaluation}


def on(name):
    return lambda objects: {"pk": objects[name].pk}


def _plan(objects) -> dict:
    return {"household": objects["household"].pk, "planned_at": _soon(1).isoformat()}


def _installed(objects) -> dict:
    from tests.factories import product

    return {"items": [{"product": product("LED-lamp").pk, "quantity": 2}]}


URLS = [
    Url("api-v1:visit-list", EVERY_ROLE),
    Url("api-v1:visit-list", PLANS, method="post", data=_plan),
    Url("api-v1:visit-list", {**PLANS, "handyman": 400, "coordinator": 400}, method="post", data={}),
    Url("api-v1:visit-detail", SEES, kwargs=on("api_intake")),
    Url("api-v1:visit-detail", {**dict.fromkeys(EVERY_ROLE, 405), "anonymous": 403}, kwargs=on("api_intake"),
        method="delete"),
    Url("api-v1:visit-reschedule", RECORDS, kwargs=on("api_intake"), method="post",
        data=lambda objects: {"planned_at": _soon(5).isoformat()}),
    Url("api-v1:visit-intake", RECORDS, kwargs=on("api_intake"), method="post", data=FINDINGS),
    Url("api-v1:visit-installation", RECORDS, kwargs=on("api_installation"), method="post", data=_installed),
    Url("api-v1:visit-evaluation", RECORDS, kwargs=on("api_evaluation"), method="post",
        data={"experience": 4, "remarks": "Warmer"}),
]
