"""The programme's roles (DESIGN.md, "Roles") and the predicates that test them.

A role is a Django group. Access is denied by default: a view or API endpoint names the role(s) or
the `rules` permission it needs, and object-level permissions (is this household theirs?) are
`rules` predicates defined in each app's `rules.py`.
"""

from enum import StrEnum

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    HANDYMAN = "handyman"
    COMMUNITY_WORKER = "community_worker"
    ASSESSOR = "assessor"
    FINANCE_OFFICER = "finance_officer"
    COORDINATOR = "coordinator"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.HANDYMAN: _("Energy handyman"),
    Role.COMMUNITY_WORKER: _("Community worker"),
    Role.ASSESSOR: _("Assessor"),
    Role.FINANCE_OFFICER: _("Finance officer"),
    Role.COORDINATOR: _("Coordinator"),
}

is_handyman = rules.is_group_member(Role.HANDYMAN)
is_community_worker = rules.is_group_member(Role.COMMUNITY_WORKER)
is_assessor = rules.is_group_member(Role.ASSESSOR)
is_finance_officer = rules.is_group_member(Role.FINANCE_OFFICER)
is_coordinator = rules.is_group_member(Role.COORDINATOR)
is_staff_member = is_handyman | is_community_worker | is_assessor | is_finance_officer | is_coordinator


def roles_of(user) -> list[Role]:
    """The roles a user holds, in the order of `Role`."""
    if not user.is_authenticated:
        return []
    names = getattr(user, "_role_names", None)
    if names is None:  # once per request: the user object lives as long as the request
        names = user._role_names = set(user.groups.values_list("name", flat=True))
    return [role for role in Role if role.value in names]


def primary_role(user) -> Role | None:
    """The role whose start page the user lands on: the most encompassing one they hold."""
    held = roles_of(user)
    for role in (Role.COORDINATOR, Role.FINANCE_OFFICER, Role.ASSESSOR, Role.COMMUNITY_WORKER, Role.HANDYMAN):
        if role in held:
            return role
    return None


def ensure_may(user, permission: str, obj=None) -> None:
    """Raise PermissionDenied unless `user` has the `rules` permission (on `obj`)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(permission)
