"""{% queue_summary as queue %}: the application queue on the assessor's and coordinator's start pages;
{{ days_left|negate }}: the days an overdue application is late."""

from django import template
from django.utils import timezone

from subsidy import selectors
from subsidy.models import Application

register = template.Library()

FIRST = 10


@register.simple_tag(takes_context=True)
def queue_summary(context, first: int = FIRST) -> dict | None:
    """Counts per state, overdue and due soon, and the first applications by deadline (None: not for this user)."""
    user = context["request"].user
    if not user.has_perm("subsidy.view_queue"):
        return None
    today = timezone.localdate()
    visible = selectors.applications_visible_to(user)
    counts = selectors.application_counts(visible.filter(status__in=Application.AWAITING_DECISION), today)
    return {
        "counts": counts,
        "states": [{"status": status, "label": Application.Status(status).label, "count": counts["by_status"][status]}
                   for status in Application.AWAITING_DECISION],
        "first": selectors.with_urgency(selectors.queue(visible)[:first], today) if first else [],
    }


@register.filter
def negate(number):
    """-3 → 3: the days an overdue application is late."""
    return -number if number is not None else None
