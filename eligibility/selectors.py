"""Read-side of stored assessments, for the household page (which includes
`templates/eligibility/_household_assessment.html` with the context below)."""

from eligibility.models import Assessment
from eligibility.services import changed_since


def household_eligibility(household, user, *, history_limit: int = 20) -> dict:
    """The latest assessment with its reasons, the history, whether a reassessment is due, and may `user` assess.

    Two queries, whatever the length of the history.
    """
    history = list(Assessment.objects.for_household(household)[:history_limit])
    latest = history[0] if history else None
    return {
        "household": household,
        "latest": latest,
        "history": history,
        "changed": changed_since(latest, household) if latest else [],
        "may_assess": user.has_perm("eligibility.assess_household", household),
    }
