"""Who may assess a household's eligibility (django-rules; loaded by `EligibilityConfig.ready`).

The coordinator and assessors for every household; a handyman for the households assigned to them;
a community worker for the households they registered or help. Read from the household's own
fields (duck typing): eligibility does not import households.
"""

import rules

from accounts.roles import is_assessor, is_community_worker, is_coordinator, is_handyman


@rules.predicate
def is_the_households_handyman(user, household) -> bool:
    return household is not None and getattr(household, "handyman_id", None) == user.pk


@rules.predicate
def helps_the_household(user, household) -> bool:
    return household is not None and user.pk in (getattr(household, "community_worker_id", None),
                                                  getattr(household, "registered_by_id", None))


may_assess_household = (
    is_coordinator | is_assessor | (is_handyman & is_the_households_handyman)
    | (is_community_worker & helps_the_household)
)

rules.add_perm("eligibility.assess_household", may_assess_household)
