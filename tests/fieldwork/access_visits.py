"""Access expectations: recording the three visits (see tests/fieldwork/access.py).

The visits are of the shared "household" (its handyman `handyman`, its community worker `community`), made
through `fieldwork.services` in the state their page needs: the intake planned; the intake done and the
installation planned with an approved package; the installation done and the evaluation planned. `handyman2`
does not work on the household: every page is 404 for him. Whoever sees the household sees a visit's page; its
handyman and the coordinator record it (an empty POST comes back with the form's errors: 200); the others 403.
"""

import datetime

from django.utils import timezone

from tests.access import Url
from tests.subsidy.expect import expect

SEES = expect(handyman=200, community=200, assessor=200, finance=200, coordinator=200)
RECORDS = expect(handyman=200, community=403, assessor=403, finance=403, coordinator=200)

FINDINGS = {"energy_label": "E", "glazing": "single", "roof_insulation": "none", "floor_insulation": "none",
            "wall_insulation": "partly", "advised_measure": "floor"}


def _soon(hours: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


def _planned_intake(objects):
    from fieldwork import services

    return services.plan_visit(objects["household"], by=objects["people"]["handyman"], planned_at=_soon(1))


def _planned_installation(objects):
    """The intake done, the installation planned, a package of two LED lamps approved."""
    from fieldwork import services
    from subsidy import packages
    from tests.factories import product

    handyman = objects["people"]["handyman"]
    services.record_intake(objects["visit_intake"], by=handyman, findings=FINDINGS)
    packages.propose(objects["household"], by=handyman, items={product("LED-lamp").pk: 2})
    return services.plan_visit(objects["household"], by=handyman, planned_at=_soon(2))


def _planned_evaluation(objects):
    from fieldwork import services
    from tests.factories import product

    handyman = objects["people"]["handyman"]
    services.record_installation(objects["visit_installation"], by=handyman,
                                 quantities={product("LED-lamp").pk: 2})
    return services.plan_visit(objects["household"], by=handyman, planned_at=_soon(3), mode="by_phone")


MAKERS = {
    "visit_intake": _planned_intake,
    "visit_installation": _planned_installation,
    "visit_evaluation": _planned_evaluation,
}


def on(name):
    return lambda objects: {"pk": objects[name].pk}


URLS = [
    Url("fieldwork:visit", SEES, kwargs=on("visit_intake")),
    Url("fieldwork:visit", SEES, kwargs=on("visit_evaluation")),
    Url("fieldwork:record_intake", RECORDS, kwargs=on("visit_intake")),
    Url("fieldwork:record_intake", RECORDS, kwargs=on("visit_intake"), method="post", data={}),
    Url("fieldwork:record_installation", RECORDS, kwargs=on("visit_installation")),
    Url("fieldwork:record_installation", RECORDS, kwargs=on("visit_installation"), method="post", data={}),
    Url("fieldwork:record_evaluation", RECORDS, kwargs=on("visit_evaluation")),
    Url("fieldwork:record_evaluation", RECORDS, kwargs=on("visit_evaluation"), method="post", data={}),
]
