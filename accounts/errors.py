"""The domain's refusals, defined once for every app: each carries a sentence the user can act on.

- `Refused`: the input breaks a rule (the API answers 400, the pages show it on the form);
- `NotAllowed`: this user may not do this (403; it is Django's `PermissionDenied`, so pages answer 403 too);
- `Conflict`: the act clashes with the current state, e.g. something changed meanwhile (409).

`field` names the form or API field the sentence belongs to (None: the request as a whole). The apps'
own errors (`budget.exceptions.BudgetError`, `eligibility.parameters.NoParametersOnDate`, …) subclass
these; `accounts.api.exception_handler` turns them into API responses with the same sentences.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    field: str | None = None
    default_message = _("The request was refused.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        if field:
            self.field = field
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class Refused(DomainError):
    """The input breaks a rule; nothing was changed (400)."""


class NotAllowed(DomainError, PermissionDenied):
    """The user may not do this (403)."""

    default_message = _("You may not do this.")


class Conflict(DomainError):
    """The act clashes with the current state of the record; nothing was changed (409)."""

    default_message = _("This was changed meanwhile; reload and try again.")
