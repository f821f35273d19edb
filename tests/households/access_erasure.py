"""Access expectations: the resident's request for erasure without consent in force (see tests/households/access.py).

Whoever may record the household's consent (its handyman and community worker, the coordinator) sees the page and,
posting a note that is too long, the form again (200); the shared household is not erased. Others: 403, or 404 for a
household that is not theirs.
"""

from tests.access import Url
from tests.subsidy.expect import expect


def on_household(objects):
    return {"pk": objects["household"].pk}


RECORDS_CONSENT = expect(handyman=200, community=200, assessor=403, finance=403, coordinator=200)

URLS = [
    Url("households:request_erasure", kwargs=on_household, expect=RECORDS_CONSENT),
    Url("households:request_erasure", kwargs=on_household, method="post", data={"note": "x" * 2001},
        expect=RECORDS_CONSENT),
]
