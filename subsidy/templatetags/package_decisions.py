"""{% packages_waiting_for_you as waiting %}: on the coordinator's start page, how many products packages wait for
their decision (not those of households they work on: `subsidy.decide_package`)."""

from django import template

from subsidy import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def packages_waiting_for_you(context) -> int | None:
    """The number of packages waiting that the user may decide (None: not for this user)."""
    user = context["request"].user
    if not user.has_perm("subsidy.decide_package"):
        return None
    return selectors.packages_waiting_for(user).count()
