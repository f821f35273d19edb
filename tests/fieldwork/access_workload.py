"""Access expectations: the coordinator's workload, one handyman's week and reassigning (see tests/fieldwork/access.py).

Only the coordinator sees the workload and reassigns. The permission is checked before the household, so every
other role gets 403, `handyman2` too (the household is not his, but he may not reassign any household). The shared
household has a visit planned (through `fieldwork.services.plan_visit`), so the pages show it. An empty POST by the
coordinator gets the form again with its errors (200); a valid one reassigns and redirects (302). Reassigning
several at once is a POST: a GET is refused as a method (after the login).
"""

import datetime

from django.utils import timezone

from tests.access import Url
from tests.subsidy.expect import expect

COORDINATOR_ONLY = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=403, coordinator=200)
COORDINATOR_DONE = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=403, coordinator=302)
GET_ON_POST = expect(handyman=405, handyman2=405, community=405, assessor=405, finance=405, coordinator=405)


def _visit(objects):
    from fieldwork import services

    return services.plan_visit(objects["household"], by=objects["people"]["handyman"],
                               planned_at=timezone.now() + datetime.timedelta(hours=2))


MAKERS = {"workload_visit": _visit}


def _with_visit(kwargs):
    """The URL's arguments, after planning the household's visit (so the page has a row to show)."""

    def arguments(objects):
        objects["workload_visit"]  # made when first asked for
        return kwargs(objects)

    return arguments


def _handyman(objects):
    return {"user_pk": objects["people"]["handyman"].pk}


def _household(objects):
    return {"household_pk": objects["household"].pk}


def _to_handyman2(objects):
    return {"handyman": objects["people"]["handyman2"].pk, "note": "Ziekte"}


def _select_household_for_handyman2(objects):
    return {"households": [objects["household"].pk], "handyman": objects["people"]["handyman2"].pk}


URLS = [
    Url("fieldwork:workload", COORDINATOR_ONLY, kwargs=_with_visit(lambda objects: {})),
    Url("fieldwork:handyman_week", COORDINATOR_ONLY, kwargs=_with_visit(_handyman)),
    Url("fieldwork:reassign", COORDINATOR_ONLY, kwargs=_with_visit(_household)),
    Url("fieldwork:reassign", COORDINATOR_ONLY, kwargs=_household, method="post", data={}),
    Url("fieldwork:reassign", COORDINATOR_DONE, kwargs=_with_visit(_household), method="post", data=_to_handyman2),
    Url("fieldwork:reassign_many", COORDINATOR_ONLY, kwargs=_handyman, method="post", data={}),
    Url("fieldwork:reassign_many", COORDINATOR_DONE, kwargs=_with_visit(_handyman), method="post",
        data=_select_household_for_handyman2),
    Url("fieldwork:reassign_many", GET_ON_POST, kwargs=_handyman),
]
