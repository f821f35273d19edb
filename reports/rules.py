"""Who may see the reports and make the exports (DESIGN.md, "Roles"); deny by default.

- The programme report and the scenarios: the coordinator and the finance officer.
- The province's data-platform export: the coordinator.
- The lists' exports: whoever sees the list, and only the rows they may see there (reports.views.exports).
"""

import rules

from accounts.roles import is_coordinator, is_finance_officer, is_handyman

rules.add_perm("reports.view_programme_report", is_coordinator | is_finance_officer)
rules.add_perm("reports.run_scenarios", is_coordinator | is_finance_officer)
rules.add_perm("reports.export_for_province", is_coordinator)


def may_see_list(permission: str):
    """Whoever may see a list may export it (its rows are then scoped to them as the list's are)."""
    return rules.predicate(lambda user: rules.has_perm(permission, user), name=f"may:{permission}")


rules.add_perm("reports.export_households", may_see_list("households.list_households"))
rules.add_perm("reports.export_applications", may_see_list("subsidy.list_applications"))
rules.add_perm("reports.export_queue", may_see_list("subsidy.view_queue"))
rules.add_perm("reports.export_visits", may_see_list("fieldwork.view_workload") | is_handyman)  # his agenda
rules.add_perm("reports.export_packages", may_see_list("subsidy.view_package_figures"))
rules.add_perm("reports.export_ledger", may_see_list("budget.view_ledger"))
