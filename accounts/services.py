"""Setting up the roles as groups with the model permissions their admin work needs."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.roles import Role

# Model permissions (for the Django admin); object-level access is decided by `rules` predicates.
ROLE_MODEL_PERMISSIONS: dict[Role, list[str]] = {
    Role.HANDYMAN: [],
    Role.COMMUNITY_WORKER: [],
    Role.ASSESSOR: [],
    Role.FINANCE_OFFICER: ["budget.view_programme", "budget.view_budgetline", "budget.view_fundingsource"],
    # No subsidy model permissions: the rules decide every act on an application (subsidy/rules.py).
    Role.COORDINATOR: ["__all__:budget", "__all__:eligibility", "__all__:households"],
}


@transaction.atomic
def ensure_roles() -> list[Group]:
    """Create one group per role and give it its model permissions; safe to run again."""
    groups = []
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for spec in ROLE_MODEL_PERMISSIONS[role]:
            if spec.startswith("__all__:"):
                wanted.extend(Permission.objects.filter(content_type__app_label=spec.split(":", 1)[1]))
            else:
                app_label, codename = spec.split(".")
                wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
        groups.append(group)
    return groups
