"""Permissions of accounts' own pages (`rules`, autodiscovered): who may read the view log ("Who looked")."""

import rules

from accounts.roles import is_coordinator

rules.add_perm("accounts.view_view_log", is_coordinator)


@rules.predicate
def is_themself(user, other) -> bool:
    return other is not None and user.pk == other.pk


# "Log out everywhere" (accounts.sessions.end_sessions): one's own sessions, or, for the coordinator, anyone's.
rules.add_perm("accounts.end_sessions", is_themself | is_coordinator)

# Two factors (accounts.two_factor): the staff page and resetting a person's second factor (a lost phone).
rules.add_perm("accounts.view_staff", is_coordinator)
rules.add_perm("accounts.reset_second_factor", is_coordinator)
