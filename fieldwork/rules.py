"""Who may do what in the field (DESIGN.md, "Roles"); deny by default.

- Seeing a household's visits, findings, referrals and defect reports: whoever sees the household.
- Planning and recording visits, referring, reporting defects: the household's handyman, and the coordinator.
- Handling a referral: the community worker it is addressed to (and the coordinator).
- Each handyman's visits per week and workload, and reassigning households: the coordinator.
"""

import rules

from accounts.roles import Role, is_coordinator
from households.rules import sees_every_household_role, works_on


@rules.predicate
def handyman_of(user, household) -> bool:
    return works_on(user, household, as_roles=(Role.HANDYMAN,))


@rules.predicate
def handyman_of_visits_household(user, visit) -> bool:
    return visit is not None and works_on(user, visit.household, as_roles=(Role.HANDYMAN,))


@rules.predicate
def sees_visits_household(user, visit) -> bool:
    return visit is not None and (sees_every_household_role(user) or works_on(user, visit.household))


@rules.predicate
def addressee_of(user, referral) -> bool:
    return referral is not None and referral.community_worker_id == user.pk


rules.add_perm("fieldwork.view_fieldwork", rules.is_authenticated)  # lists are scoped per user
rules.add_perm("fieldwork.view_visit", sees_visits_household)
rules.add_perm("fieldwork.plan_visit", is_coordinator | handyman_of)  # object: a household
rules.add_perm("fieldwork.record_visit", is_coordinator | handyman_of_visits_household)
rules.add_perm("fieldwork.refer", is_coordinator | handyman_of)  # object: a household
rules.add_perm("fieldwork.report_defect", is_coordinator | handyman_of)  # object: a household
rules.add_perm("fieldwork.handle_referral", is_coordinator | addressee_of)
rules.add_perm("fieldwork.view_workload", is_coordinator)
rules.add_perm("fieldwork.reassign", is_coordinator)
