"""Access expectations: the staff pages of applications (see tests/subsidy/access.py).

The applications' household is assigned to `handyman` and `community`; `handyman2` does not work on it, so an
application's pages are 404 for him (its existence is not revealed). Whoever may see an application but not do
an act gets 403 for the act; whoever may do it gets the page again with the form's errors (200) for an empty
POST. Each act is posted to an application in a state where it can be done.
"""

from tests.access import Url
from tests.subsidy.expect import expect

# Seeing: whoever sees the household.
SEES = expect(handyman=200, community=200, assessor=200, finance=200, coordinator=200)
# Reviewing and deciding: assessors and the coordinator (not for a household they work on).
REVIEWS = expect(handyman=403, community=403, assessor=200, finance=403, coordinator=200)
# Preparing on the applicant's behalf: the community worker who helps the household, and the coordinator.
PREPARES = expect(handyman=403, community=200, assessor=403, finance=403, coordinator=200)
# Adding a document: those who prepare or review, and the household's handyman.
UPLOADS = expect(handyman=200, community=200, assessor=200, finance=403, coordinator=200)
# Checking the DIY area: the household's handyman only.
CHECKS_AREA = expect(handyman=200, community=403, assessor=403, finance=403, coordinator=403)
# Acts are POSTs: a GET is refused as a method (after the login).
GET_ON_ACT = expect(handyman=405, handyman2=405, community=405, assessor=405, finance=405, coordinator=405)


def _theirs(state, **fields):
    def make(objects):
        from tests.subsidy.access import theirs

        return theirs(state, **fields)(objects)

    return make


MAKERS = {
    "submitted": _theirs("submitted"),
    "info_requested": _theirs("info_requested"),
    "payout_requested": _theirs("payout_requested"),
    "diy": _theirs("draft", diy=True),
    "letter": lambda objects: objects["approved"].letters.get(),  # made ready with the approval (access.py)
}


def on(state):
    return lambda objects: {"pk": objects[state].pk}


def act(name, state, expectation):
    return Url(f"subsidy:act_{name}", expectation, kwargs=on(state), method="post", data={})


URLS = [
    Url("subsidy:list", expect(handyman=200, handyman2=200, community=200, assessor=200, finance=200,
                               coordinator=200)),
    Url("subsidy:queue", expect(handyman=403, handyman2=403, community=403, assessor=200, finance=403,
                                coordinator=200)),
    Url("subsidy:application", SEES, kwargs=on("in_review")),
    Url("subsidy:application", SEES, kwargs=on("draft")),
    Url("subsidy:document", SEES, kwargs=lambda o: {"pk": o["in_review"].pk,
                                                    "document_pk": o["in_review"].documents.get().pk}),
    Url("subsidy:letter", SEES, kwargs=lambda o: {"pk": o["approved"].pk, "letter_pk": o["letter"].pk}),
    act("start_review", "submitted", REVIEWS),
    act("approve", "in_review", REVIEWS),
    act("reject", "in_review", REVIEWS),
    act("request_info", "in_review", REVIEWS),
    act("provide_info", "info_requested", PREPARES),
    act("extend_term", "in_review", REVIEWS),
    act("request_payout", "approved", PREPARES),
    act("set_payout", "payout_requested", REVIEWS),
    act("check_diy_area", "diy", CHECKS_AREA),
    act("add_document", "in_review", UPLOADS),
    act("withdraw", "in_review", PREPARES),
    Url("subsidy:act_approve", GET_ON_ACT, kwargs=on("in_review")),
]
