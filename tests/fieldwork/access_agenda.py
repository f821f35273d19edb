"""Access expectations: the agenda, planning, referrals and defect reports (see tests/fieldwork/access.py).

The shared household is assigned to `handyman` and `community`; `handyman2` does not work on it, so its pages (and
its visits', referrals' and reports') are 404 for him. Planning, referring and reporting are for the household's
handyman and the coordinator; whoever else sees the household gets 403. An empty POST by someone who may act gets
the form again with its errors (200). The agenda is the handyman's own; the referrals' inbox is the community
worker's (the coordinator sees every referral).
"""

import datetime

from django.utils import timezone

from tests.access import Url
from tests.subsidy.expect import expect

# Planning, referring, reporting a defect: the household's handyman and the coordinator.
ACTS = expect(handyman=200, community=403, assessor=403, finance=403, coordinator=200)
DONE = expect(handyman=302, community=403, assessor=403, finance=403, coordinator=302)
HANDLES = expect(handyman=403, community=302, assessor=403, finance=403, coordinator=302)
GET_ON_POST = expect(handyman=405, handyman2=405, community=405, assessor=405, finance=405, coordinator=405)


def _planned_visit(objects):
    from fieldwork import services

    return services.plan_visit(objects["household"], by=objects["people"]["handyman"],
                               planned_at=timezone.now() + datetime.timedelta(days=1))


def _referral(objects):
    from fieldwork import services

    people = objects["people"]
    return services.refer(objects["household"], by=people["handyman"], reason="Zorgen over de energierekening.",
                          community_worker=people["community"])


def _rented(objects):
    from tests.factories import assessed_household

    people = objects["people"]
    return assessed_household(people["handyman"], community_worker=people["community"], dwelling__social_rent=True)


def _defect(objects):
    from fieldwork import services

    return services.report_defect(objects["rented"], by=objects["people"]["handyman"],
                                  description="Schimmel in de slaapkamer.")


MAKERS = {"planned_visit": _planned_visit, "referral": _referral, "rented": _rented, "defect": _defect}


def of(name):
    return lambda objects: {"pk": objects[name].pk}


def _tomorrow_at_ten(objects):
    return {"plan-day": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(), "plan-time": "10:00"}


URLS = [
    Url("fieldwork:agenda", expect(handyman=200, handyman2=200, community=403, assessor=403, finance=403,
                                   coordinator=403)),
    Url("fieldwork:plan_visit", ACTS, kwargs=of("household")),
    Url("fieldwork:plan_visit", ACTS, kwargs=of("household"), method="post", data={}),
    Url("fieldwork:plan_visit", DONE, kwargs=of("household"), method="post", data=_tomorrow_at_ten),
    Url("fieldwork:reschedule_visit", ACTS, kwargs=of("planned_visit")),
    Url("fieldwork:reschedule_visit", ACTS, kwargs=of("planned_visit"), method="post", data={}),
    Url("fieldwork:refer", ACTS, kwargs=of("household")),
    Url("fieldwork:refer", ACTS, kwargs=of("household"), method="post", data={}),
    Url("fieldwork:referrals", expect(handyman=403, handyman2=403, community=200, assessor=403, finance=403,
                                      coordinator=200)),
    Url("fieldwork:handle_referral", HANDLES, kwargs=of("referral"), method="post", data={}),
    Url("fieldwork:handle_referral", GET_ON_POST, kwargs=of("referral")),
    Url("fieldwork:report_defect", ACTS, kwargs=of("rented")),
    Url("fieldwork:report_defect", ACTS, kwargs=of("household")),  # owner-occupied: the page says why not
    Url("fieldwork:report_defect", ACTS, kwargs=of("rented"), method="post", data={}),
    Url("fieldwork:update_defect", ACTS, kwargs=of("defect")),
    Url("fieldwork:update_defect", ACTS, kwargs=of("defect"), method="post", data={}),
]
