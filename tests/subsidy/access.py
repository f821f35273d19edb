"""Access expectations for every subsidy page and API route (see tests/access.py).

One module per part, each with `URLS` and, when it needs objects of its own, `MAKERS` (name → a function of the
objects that makes it) or `build(ctx, objects)`: access_public (form, status link), access_review (staff pages),
access_payments (finance), access_api. The household of the shared applications is assigned to `handyman` and
`community`. An application is made through the services when a URL first asks for it (`Objects`): a case
touches one or two of them, and making each for every case would cost minutes.
"""

from django.core.files.base import ContentFile

from subsidy.models import DecisionLetter
from tests.factories import PDF_BYTES, application_in
from tests.subsidy import (
    access_api,
    access_catalogue,
    access_packages,
    access_packages_api,
    access_payments,
    access_public,
    access_review,
)

PARTS = (access_public, access_review, access_payments, access_api, access_packages, access_catalogue,
         access_packages_api)


class Objects(dict):
    """The objects of a case, each made when first asked for."""

    def __init__(self, makers: dict):
        super().__init__()
        self.makers = makers

    def __missing__(self, name):
        value = self[name] = self.makers[name](self)
        return value


def theirs(state: str, **fields):
    """An application in `state` of a household assigned to `handyman` and `community`."""
    return lambda objects: application_in(state, objects["people"], household__handyman=objects["people"]["handyman"],
                                          household__community_worker=objects["people"]["community"], **fields)


def approved_with_its_letter(objects):
    application = theirs("approved")(objects)
    letter = application.letters.get()  # the approval's letter, as the worker renders it
    if letter.status != DecisionLetter.Status.READY:
        letter.file.save("besluit.pdf", ContentFile(PDF_BYTES), save=False)
        letter.status = DecisionLetter.Status.READY
        letter.save()
    return application


def build(ctx):
    makers = {"people": lambda objects: ctx.users, "programme": lambda objects: ctx.programme,
              **{state: theirs(state) for state in ("draft", "in_review", "payout_set")},
              "approved": approved_with_its_letter}
    for part in PARTS:
        makers.update(getattr(part, "MAKERS", {}))
    objects = Objects(makers)
    for part in PARTS:
        if hasattr(part, "build"):
            objects.update(part.build(ctx, objects) or {})
    return objects


URLS = [url for part in PARTS for url in part.URLS]
