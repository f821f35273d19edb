"""Read-side queries for households: what a user may see, searched, filtered and sorted."""

from django.db.models import Q, QuerySet

from accounts.roles import Role, roles_of
from households.models import Household

SEE_ALL = {Role.ASSESSOR, Role.FINANCE_OFFICER, Role.COORDINATOR}


def households_visible_to(user) -> QuerySet[Household]:
    """The households `user` may see (the list-level twin of `households.view_household`)."""
    held = set(roles_of(user))
    queryset = Household.objects.with_register_details()
    if held & SEE_ALL:
        return queryset
    scope = Q(pk__in=[])
    if Role.HANDYMAN in held:
        scope |= Q(handyman=user)
    if Role.COMMUNITY_WORKER in held:
        scope |= Q(community_worker=user) | Q(registered_by=user)
    return queryset.filter(scope)
