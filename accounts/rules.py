"""Permissions of accounts' own pages (`rules`, autodiscovered): who may read the view log ("Who looked")."""

import rules

from accounts.roles import is_coordinator

rules.add_perm("accounts.view_view_log", is_coordinator)
