"""Who may do what with a household (DESIGN.md, "Roles"); deny by default.

Handymen see and work on the households assigned to them; community workers those they registered
or are assigned to; assessors, finance officers and the coordinator see all. Registering a household
is for community workers and the coordinator; assigning people to it for the coordinator.
"""

import rules

from accounts.roles import is_assessor, is_community_worker, is_coordinator, is_finance_officer, is_handyman


@rules.predicate
def is_assigned_handyman(user, household) -> bool:
    return household is not None and household.handyman_id == user.pk


@rules.predicate
def helps_household(user, household) -> bool:
    return household is not None and user.pk in (household.community_worker_id, household.registered_by_id)


sees_every_household = is_assessor | is_finance_officer | is_coordinator
works_on_household = (is_handyman & is_assigned_handyman) | (is_community_worker & helps_household)

rules.add_perm("households.list_households", sees_every_household | is_handyman | is_community_worker)
rules.add_perm("households.view_household", sees_every_household | works_on_household)
rules.add_perm("households.add_household", is_community_worker | is_coordinator)
rules.add_perm("households.change_household", is_coordinator | works_on_household)
rules.add_perm("households.record_consent", is_coordinator | works_on_household)
rules.add_perm("households.assign_household", is_coordinator)
rules.add_perm("households.close_household", is_coordinator | (is_community_worker & helps_household))
rules.add_perm("households.reopen_household", is_coordinator | (is_community_worker & helps_household))
rules.add_perm("households.import_households", is_coordinator)
