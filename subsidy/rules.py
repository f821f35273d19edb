"""Who may do what with a large-measure application (DESIGN.md, "Roles"); deny by default.

- Seeing an application: whoever sees its household (assessors, finance officers and the coordinator all;
  handymen and community workers their own households: `households.rules.works_on`).
- Preparing one (filling in, submitting, giving information, asking for the payout, withdrawing on the
  applicant's behalf): the community worker who helps the household, and the coordinator.
- Reviewing and deciding (start, ask for information, extend the term, approve, reject, set the payout):
  assessors and the coordinator — never for a household they are the handyman or community worker of.
- Recording the payment and exporting payments due: finance officers (not the one who set the payout: the
  service checks those four eyes on the application).
- Checking the DIY area: the household's handyman.

Products packages (subsidy.packages):
- Seeing a household's package: whoever sees the household.
- Proposing, installing and cancelling: the household's handyman, and the coordinator.
- Deciding a package above the limit per dwelling (an override) and editing the catalogue: the coordinator —
  not for a household they are the handyman or community worker of.
- The packages' figures (average per dwelling, overrides): the coordinator and finance officers.

The applicant acts through the status link (no account) and the system acts for scheduled jobs; those acts are
checked by `subsidy.services` against `APPLICANT_ACTS` and `SYSTEM_ACTS`.
"""

import rules

from accounts.roles import Role, is_assessor, is_coordinator, is_finance_officer
from households.rules import helps_household, sees_every_household_role, works_on


@rules.predicate
def works_on_applications_household(user, application) -> bool:
    return application is not None and works_on(user, application.household)


@rules.predicate
def sees_applications_household(user, application) -> bool:
    return application is not None and (sees_every_household_role(user) or works_on(user, application.household))


@rules.predicate
def helps_applications_household(user, application) -> bool:
    return application is not None and helps_household(user, application.household)


@rules.predicate
def checks_applications_area(user, application) -> bool:
    return application is not None and works_on(user, application.household, as_roles=(Role.HANDYMAN,))


may_prepare = is_coordinator | helps_applications_household
may_review = (is_assessor | is_coordinator) & ~works_on_applications_household

rules.add_perm("subsidy.list_applications", rules.is_authenticated)  # the list is scoped per user
rules.add_perm("subsidy.view_application", sees_applications_household)
rules.add_perm("subsidy.apply_for_household", is_coordinator | helps_household)  # object: a household
rules.add_perm("subsidy.prepare_application", may_prepare)
rules.add_perm("subsidy.upload_document", may_prepare | may_review | checks_applications_area)
rules.add_perm("subsidy.review_application", may_review)
rules.add_perm("subsidy.pay_application", is_finance_officer)
rules.add_perm("subsidy.view_payments", is_finance_officer | is_coordinator)
rules.add_perm("subsidy.check_diy_area", checks_applications_area)
rules.add_perm("subsidy.view_queue", is_assessor | is_coordinator)

@rules.predicate
def handyman_of_packages_household(user, package) -> bool:
    return package is not None and works_on(user, package.household, as_roles=(Role.HANDYMAN,))


@rules.predicate
def works_on_packages_household(user, package) -> bool:
    return package is not None and works_on(user, package.household)


@rules.predicate
def sees_packages_household(user, package) -> bool:
    return package is not None and (sees_every_household_role(user) or works_on(user, package.household))


@rules.predicate
def handyman_of_household(user, household) -> bool:
    return works_on(user, household, as_roles=(Role.HANDYMAN,))


rules.add_perm("subsidy.view_package", sees_packages_household)
rules.add_perm("subsidy.propose_package", is_coordinator | handyman_of_household)  # object: a household
rules.add_perm("subsidy.install_package", is_coordinator | handyman_of_packages_household)
rules.add_perm("subsidy.cancel_package", is_coordinator | handyman_of_packages_household)
rules.add_perm("subsidy.decide_package", is_coordinator & ~works_on_packages_household)
rules.add_perm("subsidy.manage_catalogue", is_coordinator)
rules.add_perm("subsidy.view_package_figures", is_coordinator | is_finance_officer)

# The permission each transition needs from a staff user.
TRANSITION_PERMISSIONS = {
    "submit": "subsidy.prepare_application",
    "start_review": "subsidy.review_application",
    "request_info": "subsidy.review_application",
    "provide_info": "subsidy.prepare_application",
    "approve": "subsidy.review_application",
    "reject": "subsidy.review_application",
    "withdraw": "subsidy.prepare_application",
    "request_payout": "subsidy.prepare_application",
    "set_payout": "subsidy.review_application",
    "mark_paid": "subsidy.pay_application",
}
# What the applicant may do through the status link, and what the system does on its own.
APPLICANT_ACTS = {"submit", "provide_info", "withdraw", "request_payout"}
SYSTEM_ACTS = {"lapse"}
