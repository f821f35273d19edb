"""Who may do what with a household (DESIGN.md, "Roles"); deny by default.

Handymen see and work on the households assigned to them; community workers those they registered
or are assigned to; assessors, finance officers and the coordinator see all. Registering a household
is for community workers and the coordinator; assigning people to it for the coordinator. Assessing a
household's eligibility is for the coordinator, assessors and the people who work on it.

"Is this household theirs?" is defined once, in `WORKS_ON`: the predicates below read it for one
household, `households_worked_on_by` for a queryset (`households.selectors.households_visible_to`).
It lives here, in the app that owns the household's fields: an app to the left (eligibility,
accounts) would have to name them, and apps to the right import it.
"""

from functools import reduce
from operator import or_

import rules
from django.db.models import Q

from accounts.roles import Role, is_assessor, is_community_worker, is_coordinator, roles_of

# Per role, the household's fields that name the user when the household is theirs.
WORKS_ON = {
    Role.HANDYMAN: ("handyman",),
    Role.COMMUNITY_WORKER: ("community_worker", "registered_by"),
}
# Roles that see every household.
SEES_EVERY_HOUSEHOLD = {Role.ASSESSOR, Role.FINANCE_OFFICER, Role.COORDINATOR}


def works_on(user, household, *, as_roles=tuple(WORKS_ON)) -> bool:
    """Is `household` theirs: assigned to them as handyman, or helped or registered by them as community worker."""
    if household is None or not user.is_authenticated:
        return False
    return any(getattr(household, f"{field}_id") == user.pk
               for role in roles_of(user) if role in as_roles for field in WORKS_ON.get(role, ()))


def households_worked_on_by(user) -> Q:
    """The same as `works_on`, as a filter on households."""
    return reduce(or_, (Q(**{field: user}) for role in roles_of(user) for field in WORKS_ON.get(role, ())),
                  Q(pk__in=[]))


def sees_every_household_role(user) -> bool:
    return bool(SEES_EVERY_HOUSEHOLD & set(roles_of(user)))


sees_every_household = rules.predicate(sees_every_household_role, name="sees_every_household")
works_on_household = rules.predicate(works_on, name="works_on_household")
helps_household = rules.predicate(lambda user, household: works_on(user, household, as_roles=(Role.COMMUNITY_WORKER,)),
                                  name="helps_household")
is_handyman_or_community_worker = rules.predicate(lambda user: bool(set(WORKS_ON) & set(roles_of(user))),
                                                  name="is_handyman_or_community_worker")

rules.add_perm("households.list_households", sees_every_household | is_handyman_or_community_worker)
rules.add_perm("households.view_household", sees_every_household | works_on_household)
rules.add_perm("households.add_household", is_community_worker | is_coordinator)
rules.add_perm("households.change_household", is_coordinator | works_on_household)
rules.add_perm("households.record_consent", is_coordinator | works_on_household)
rules.add_perm("households.assign_household", is_coordinator)
rules.add_perm("households.close_household", is_coordinator | helps_household)
rules.add_perm("households.reopen_household", is_coordinator | helps_household)
rules.add_perm("households.import_households", is_coordinator)
rules.add_perm("households.manage_privacy_statements", is_coordinator)
rules.add_perm("households.assess_eligibility", is_coordinator | is_assessor | works_on_household)
# The resident's right of access (households.inzage): the coordinator asks for the export and downloads it.
rules.add_perm("households.export_inzage", is_coordinator)
