"""Access expectations: the application form and the status link (see tests/subsidy/access.py).

The public form, the DIY estimate and everything reached through a status link answer everyone alike, logged in
or not: the link's token is the key, not an account (a wrong token is 404 for everyone). An empty POST is the
page again with the form's errors (200). The community worker's form follows the household rules: the household
of the shared applications is assigned to `handyman` and `community`; handyman2 does not see it (404), the
handyman, assessor and finance officer see it but do not fill in applications for it (403).
"""

from tests.access import ROLES, Url
from tests.subsidy.expect import expect


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


HELPS = expect(handyman=403, community=200, assessor=403, finance=403, coordinator=200)


def link(state, **more):
    return lambda objects: {"token": objects[state].status_token, **{
        name: value(objects) for name, value in more.items()}}


def on_household(objects):
    return {"household_pk": objects["in_review"].household_id}


URLS = [
    Url("subsidy:apply", everyone(200)),
    Url("subsidy:apply", everyone(200), method="post", data={}),
    Url("subsidy:diy_estimate", everyone(200), data={"measure": "roof", "diy_area_m2": "70"}),
    Url("subsidy:status", everyone(200), kwargs=link("in_review")),
    Url("subsidy:status", everyone(404), kwargs=lambda objects: {"token": "0" * 43}),
    Url("subsidy:status_upload", everyone(200), kwargs=link("in_review"), method="post", data={}),
    Url("subsidy:status_upload", everyone(405), kwargs=link("in_review")),
    Url("subsidy:status_provide_info", everyone(200), kwargs=link("in_review"), method="post", data={}),
    Url("subsidy:status_payout", everyone(200), kwargs=link("approved"), method="post", data={}),
    Url("subsidy:status_withdraw", everyone(200), kwargs=link("in_review")),
    Url("subsidy:status_withdraw", everyone(200), kwargs=link("in_review"), method="post", data={}),
    Url("subsidy:status_document", everyone(200),
        kwargs=link("in_review", pk=lambda objects: objects["in_review"].documents.get().pk)),
    Url("subsidy:status_document", everyone(404),  # another application's document through this link
        kwargs=link("approved", pk=lambda objects: objects["in_review"].documents.get().pk)),
    Url("subsidy:status_letter", everyone(200),
        kwargs=link("approved", pk=lambda objects: objects["approved"].letters.get().pk)),
    Url("subsidy:status_letter", everyone(404),  # another application's letter through this link
        kwargs=link("in_review", pk=lambda objects: objects["approved"].letters.get().pk)),
    Url("subsidy:apply_for_household", HELPS, kwargs=on_household),
    Url("subsidy:apply_for_household", HELPS, kwargs=on_household, method="post", data={}),
]
