"""Who may do what with the budget (DESIGN.md, "Roles"; docs/budget.md, "Who may do what").

Finance officers see everything and book: direct expenditure, payments against commitments, reversals.
The coordinator sees everything and reallocates between lines, but books no expenditure (segregation of
duties: the one who runs the programme does not also pay). Assessors see the overview read-only and
reserve money on approval (commit/release through the subsidy services). Handymen and community workers
have no access to the budget.
"""

import rules

from accounts.roles import is_assessor, is_coordinator, is_finance_officer

rules.add_perm("budget.view_budget", is_finance_officer | is_coordinator | is_assessor)
rules.add_perm("budget.view_ledger", is_finance_officer | is_coordinator)
rules.add_perm("budget.commit_budget", is_assessor | is_finance_officer | is_coordinator)
rules.add_perm("budget.book_expenditure", is_finance_officer)
rules.add_perm("budget.reverse_entry", is_finance_officer)
rules.add_perm("budget.reallocate_budget", is_finance_officer | is_coordinator)
rules.add_perm("budget.reconcile_budget", is_finance_officer | is_coordinator)
