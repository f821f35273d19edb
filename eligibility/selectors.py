"""Read-side of stored assessments, for the household page (which includes
`templates/eligibility/_household_assessment.html` with the context below, plus `assess_url` or
`cannot_assess`)."""

from eligibility.models import Assessment
from eligibility.services import changed_since


def household_eligibility(household, *, history_limit: int = 20) -> dict:
    """The latest assessment with its reasons, the history and whether a reassessment is due.

    Two queries, whatever the length of the history. The household page adds whether the user may assess
    now (`assess_url`) or why not (`cannot_assess`): that is the register's business, not eligibility's.
    """
    history = list(Assessment.objects.for_household(household)[:history_limit])
    latest = history[0] if history else None
    return {
        "household": household,
        "latest": latest,
        "history": history,
        "changed": changed_since(latest, household) if latest else [],
    }
