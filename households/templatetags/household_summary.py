"""{% household_summary as summary %}: the households part of a role's start page."""

from django import template

from households.models import Household
from households.selectors import household_counts, households_visible_to

register = template.Library()

RECENT = 5


@register.simple_tag(takes_context=True)
def household_summary(context) -> dict | None:
    user = context["request"].user
    if not user.has_perm("households.list_households"):
        return None
    counts = household_counts(user)
    open_households = households_visible_to(user).exclude(status=Household.Status.CLOSED)
    return {
        "counts": counts,
        "recent": list(open_households.order_by("-updated_at", "-pk")[:RECENT]),
        "without_handyman": counts["without_handyman"],
        "may_register": user.has_perm("households.add_household"),
        "may_assign": user.has_perm("households.assign_household"),
    }
