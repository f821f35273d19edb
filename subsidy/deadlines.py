"""The decision term (beslistermijn) of an application, as the Awb counts it (pure, no database).

- The term is the rule set's number of days (Hilversum: 28, "within four weeks"), counted from the day of
  submission: submitted on 3 March with a term of 28 days, the decision is due on 31 March.
- A request for information suspends the term (opschorting, Awb 4:15) from the day of the request until the day
  the information is provided; the deadline moves by the days suspended.
- The assessor may extend the term once (verdaging, Awb 4:14), with a reason, by at most the term itself.
- An approved grant stands for the rule set's `grant_validity_months` from the decision; without a payout request
  by its last day it lapses (`grant_valid_until`).
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.errors import Refused

NEAR_DUE_DAYS = 7


def decision_due_on(submitted_on: datetime.date, *, term_days: int, suspended_days: int = 0,
                    extended_days: int = 0) -> datetime.date:
    return submitted_on + datetime.timedelta(days=term_days + suspended_days + extended_days)


def days_suspended(requested_on: datetime.date, provided_on: datetime.date) -> int:
    """The days the term stood still: from the request to the day the information came (0 on the same day)."""
    return max(0, (provided_on - requested_on).days)


def check_extension(days, *, term_days: int, already_extended: int) -> int:
    """The extension in days, or Refused: once only, at least one day, at most the term."""
    if already_extended:
        raise Refused(_("The decision term has already been extended once; it cannot be extended again."),
                      field="days")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise Refused(_("Enter the extension as a whole number of days."), field="days") from None
    if days < 1:
        raise Refused(_("Extend by at least one day."), field="days")
    if days > term_days:
        raise Refused(_("The term can be extended by at most the term itself: %(days)s days.") % {"days": term_days},
                      field="days")
    return days


@dataclass(frozen=True)
class Urgency:
    """How an application awaiting a decision stands against its deadline, for the queue."""

    overdue: bool
    due_soon: bool
    days_left: int | None  # None while the term is suspended


def urgency(due_on: datetime.date | None, today: datetime.date) -> Urgency:
    if due_on is None:
        return Urgency(overdue=False, due_soon=False, days_left=None)
    days_left = (due_on - today).days
    return Urgency(overdue=days_left < 0, due_soon=0 <= days_left <= NEAR_DUE_DAYS, days_left=days_left)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day (31 January + 1 month = 28/29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))
