"""Access expectations: api (see tests/subsidy/access.py).

The API answers anonymous callers 403 (session authentication first). An application of a household that is not
yours is 404 (`handyman2`); one you see but whose act your role may not do is 403. Each act is tried on an
application in a state that allows it with a body that would do, so whoever may do it gets 200: the matrix shows
who passes, tests/subsidy/test_api.py what happens then. The applications in the states the shared ones do not
cover (submitted, information requested, payout requested) are made only for the URL that needs them.
"""

import datetime

from subsidy import services
from subsidy.models import Document
from tests.access import Url
from tests.factories import HouseholdFactory, application_in, pdf_file
from tests.subsidy.expect import expect

API = {"anonymous": 403}
IBAN = "NL91ABNA0417164300"

EVERY_ROLE = expect(403, handyman=200, handyman2=200, community=200, assessor=200, finance=200,
                    coordinator=200)
SEES = expect(403, handyman=200, community=200, assessor=200, finance=200, coordinator=200)
APPLIES = expect(403, handyman=403, handyman2=403, community=201, assessor=403, finance=403, coordinator=201)
PREPARES = expect(403, handyman=403, community=200, assessor=403, finance=403, coordinator=200)
REVIEWS = expect(403, handyman=403, community=403, assessor=200, finance=403, coordinator=200)
PAYS = expect(403, handyman=403, community=403, assessor=403, finance=200, coordinator=403)
# Whoever may add documents gets past the access checks to the body, which must be multipart (415 for JSON).
UPLOADS = expect(403, handyman=415, community=415, assessor=415, finance=403, coordinator=415)


def build(ctx, objects):
    return {"api_people": ctx.users}


def on(state: str):
    return lambda objects: {"pk": objects[state].pk}


def made(state: str, *documents: str):
    """A new application of the shared household's people in `state`, with these documents added."""

    def kwargs(objects):
        people = objects["api_people"]
        application = objects.get(state) or application_in(state, people, household__handyman=people["handyman"],
                                                           household__community_worker=people["community"])
        for kind in documents:
            services.add_document(application, by=people["community"], kind=kind, file=pdf_file())
        return {"pk": application.pk}

    return kwargs


def new_draft(objects) -> dict:
    """The answers for a draft of another household of the same people (a home has one application at a time)."""
    people = objects["api_people"]
    household = HouseholdFactory(active=True, handyman=people["handyman"], community_worker=people["community"])
    return {"household": household.pk, "applicant_name": "Jan de Vries", "owner_occupier": True,
            "measure": "roof", "route": "contractor", "quote_amount": "4200.00", "household_type": "single",
            "net_monthly_income": "1250.00", "income_proof": "income_details", "declaration_true": True}


URLS = [
    Url("api-v1:application-list", expect=EVERY_ROLE),
    Url("api-v1:application-list", method="post", data={},
        expect={**APPLIES, "community": 400, "coordinator": 400}),
    Url("api-v1:application-list", method="post", data=new_draft, expect=APPLIES),
    Url("api-v1:application-detail", kwargs=on("draft"), expect=SEES),
    Url("api-v1:application-detail", kwargs=on("draft"), method="delete",
        expect={**dict.fromkeys(EVERY_ROLE, 405), **API}),
    Url("api-v1:application-documents", kwargs=on("in_review"), method="post", data={}, expect=UPLOADS),
    Url("api-v1:application-submit", kwargs=made("draft", Document.Kind.QUOTE), method="post", data={},
        expect=PREPARES),
    Url("api-v1:application-start-review", kwargs=made("submitted"), method="post", data={}, expect=REVIEWS),
    Url("api-v1:application-request-info", kwargs=on("in_review"), method="post",
        data={"message": "Stuur de eigendomsakte."}, expect=REVIEWS),
    Url("api-v1:application-provide-info", kwargs=made("info_requested"), method="post", data={"note": "Gedaan."},
        expect=PREPARES),
    Url("api-v1:application-approve", kwargs=on("in_review"), method="post", data={}, expect=REVIEWS),
    Url("api-v1:application-reject", kwargs=on("in_review"), method="post", data={"note": "Geen eigenaar."},
        expect=REVIEWS),
    Url("api-v1:application-withdraw", kwargs=on("in_review"), method="post", data={}, expect=PREPARES),
    Url("api-v1:application-request-payout", kwargs=made("approved", Document.Kind.INVOICE,
                                                         Document.Kind.ACCEPTED_QUOTE), method="post",
        data={"invoice_amount": "3950.00", "iban": IBAN, "account_holder": "J. de Vries"}, expect=PREPARES),
    Url("api-v1:application-set-payout", kwargs=made("payout_requested"), method="post", data={"amount": "3900.00"},
        expect=REVIEWS),
    Url("api-v1:application-mark-paid", kwargs=on("payout_set"), method="post",
        data=lambda objects: {"paid_on": datetime.date.today().isoformat(), "iban": IBAN}, expect=PAYS),
]
