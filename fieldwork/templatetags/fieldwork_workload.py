"""`{% week_workload as workload %}`: this week's visits per active handyman, for the coordinator's start page
(None: the user may not see the workload)."""

from django import template
from django.utils import timezone

from fieldwork import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def week_workload(context) -> dict | None:
    """The week, and per handyman his visits planned and done in it, with the bar's length (0–100, the busiest
    handyman 100); two queries."""
    if not context["request"].user.has_perm("fieldwork.view_workload"):
        return None
    week = selectors.Week.of(timezone.localdate())
    rows = selectors.workload(week, households=False)
    busiest = max((row.planned for row in rows), default=0)
    return {"week": week, "planned": sum(row.planned for row in rows), "rows": [
        {"handyman": row.handyman, "planned": row.planned, "done": row.done,
         "width": round(row.planned * 100 / busiest) if busiest else 0} for row in rows]}
