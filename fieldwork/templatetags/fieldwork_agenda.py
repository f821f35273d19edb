"""The field-work parts of the start pages, and the phone number as a link.

- `{% handyman_agenda as agenda %}`: the handyman's visits today and the rest of this week, and the first of his
  households whose next visit is not planned (None: the user is no handyman).
- `{% community_referrals as referrals %}`: the open referrals addressed to the community worker (None: the user
  is no community worker).
- `{{ household.phone|tel }}`: the number for a `tel:` link ("06 12345678" → "0612345678").
"""

import re

from django import template
from django.utils import timezone

from accounts.roles import Role, roles_of
from fieldwork import selectors

register = template.Library()

UNPLANNED_ON_THE_START_PAGE = 5
REFERRALS_ON_THE_START_PAGE = 5


@register.simple_tag(takes_context=True)
def handyman_agenda(context) -> dict | None:
    user = context["request"].user
    if Role.HANDYMAN not in roles_of(user):
        return None
    unplanned, unplanned_count = selectors.first_without_next_visit(user, UNPLANNED_ON_THE_START_PAGE)
    return {"agenda": selectors.agenda_of(user, timezone.localdate()), "unplanned": unplanned,
            "unplanned_count": unplanned_count}


@register.simple_tag(takes_context=True)
def community_referrals(context) -> dict | None:
    user = context["request"].user
    if Role.COMMUNITY_WORKER not in roles_of(user):
        return None
    first, count = selectors.open_referrals(user, REFERRALS_ON_THE_START_PAGE)
    return {"first": first, "count": count}


@register.filter
def tel(number: str) -> str:
    """Digits only, with the leading + of an international number."""
    number = (number or "").strip()
    return ("+" if number.startswith("+") else "") + re.sub(r"\D", "", number)
