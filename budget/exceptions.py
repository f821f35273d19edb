"""What a budget act refuses, each with a sentence a finance officer can act on (Dutch via gettext)."""

from django.utils.translation import gettext_lazy as _

from accounts.errors import Refused


class BudgetError(Refused):
    """A budget act was refused; nothing was booked. `field` names the form/API field it concerns."""

    field = "amount"
    default_message = _("The booking was refused.")


class InvalidAmount(BudgetError):
    default_message = _("Enter an amount greater than zero with at most two decimals.")


class InsufficientBudget(BudgetError):
    default_message = _("The budget line does not have enough available.")


class CommitmentExceeded(BudgetError):
    default_message = _("The amount is more than is still open on the commitment.")


class NotReversible(BudgetError):
    field = "entry"
    default_message = _("This entry cannot be reversed.")


class WrongEntry(BudgetError):
    field = "entry"
    default_message = _("This entry cannot be used for this booking.")


class ReallocationRefused(BudgetError):
    default_message = _("The reallocation was refused.")
