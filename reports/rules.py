"""Who may see the reports and make the exports (DESIGN.md, "Roles"); deny by default.

- The programme report and the scenarios: the coordinator and the finance officer.
- The province's data-platform export: the coordinator.
- The lists' exports: whoever sees the list, and only the rows they may see there (reports.views.exports).
"""

import rules

from accounts.roles import is_coordinator, is_finance_officer

rules.add_perm("reports.view_programme_report", is_coordinator | is_finance_officer)
rules.add_perm("reports.run_scenarios", is_coordinator | is_finance_officer)
rules.add_perm("reports.export_for_province", is_coordinator)
