"""The view log's data subject for a household and everything of it (its applications, visits, documents)."""

from accounts.models import ViewLog
from accounts.viewlog import log_view


def subject_key(household_or_id) -> str:
    household_id = getattr(household_or_id, "pk", household_or_id)
    return f"household:{household_id}"


def log_household_view(request, household, *, what: str, kind: str = ViewLog.Kind.PAGE) -> ViewLog | None:
    """Log that the signed-in user viewed `what` (a page, a document, a letter) of `household`'s personal data."""
    return log_view(request, subject_key=subject_key(household), subject_label=household.reference, what=what,
                    kind=kind)
