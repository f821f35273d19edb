"""Access expectations for every subsidy page and API route (see tests/access.py).

One module per part, each with `URLS` and, when it needs objects of its own, `build(ctx)`:
access_public (form, status link), access_review (staff pages), access_payments (finance), access_api.
The household of the shared applications is assigned to `handyman` and `community`; see `build` below.
"""

from tests.factories import application_in
from tests.subsidy import access_api, access_payments, access_public, access_review

PARTS = (access_public, access_review, access_payments, access_api)


def build(ctx):
    people = ctx.users
    objects = {state: application_in(state, people, household__handyman=people["handyman"],
                                     household__community_worker=people["community"])
               for state in ("draft", "in_review", "approved", "payout_set")}
    for part in PARTS:
        if hasattr(part, "build"):
            objects.update(part.build(ctx, objects) or {})
    return objects


URLS = [url for part in PARTS for url in part.URLS]
