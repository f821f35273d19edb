"""Access expectations: the register of privacy statements (see tests/households/access.py).

Only coordinators see the register and store a new version (an empty form comes back with its field errors); every
other role gets 403 and anonymous is sent to the login page. A version's text is public: everyone, also without an
account, reads it (the application form links to it); a version the programme does not have is 404 for everyone.
"""

from tests.access import Url
from tests.subsidy.expect import expect

ONLY_COORDINATORS = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=403, coordinator=200)
PUBLIC = dict.fromkeys(ONLY_COORDINATORS, 200)
NOBODY = dict.fromkeys(ONLY_COORDINATORS, 404)


def programme(objects):
    return {"programme": "hilversum-2022"}


URLS = [
    Url("households:privacy_statements", expect=ONLY_COORDINATORS),
    Url("households:privacy_statement_new", expect=ONLY_COORDINATORS),
    Url("households:privacy_statement_new", method="post", data={}, expect=ONLY_COORDINATORS),
    Url("households:privacy_statement_current", kwargs=programme, expect=PUBLIC),
    Url("households:privacy_statement", kwargs=lambda objects: {**programme(objects), "version": "2022-1"},
        expect=PUBLIC),
    Url("households:privacy_statement", kwargs=lambda objects: {**programme(objects), "version": "1999-9"},
        expect=NOBODY),
    Url("households:privacy_statement_current", kwargs=lambda objects: {"programme": "geen-programma"},
        expect=NOBODY),
]
