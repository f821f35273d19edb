"""`{% budget_summary as summary %}`: the current programme's totals, for the finance officer's start page."""

from django import template

from budget.models import Programme
from budget.selectors import budget_lines, programme_totals

register = template.Library()


@register.simple_tag
def budget_summary():
    programme = Programme.objects.order_by("-starts_on", "slug").first()
    if programme is None:
        return None
    lines = list(budget_lines(programme))
    tightest = sorted(lines, key=lambda line: line.balance().percentage_used, reverse=True)[:3]
    return {"programme": programme, "totals": programme_totals(programme, lines), "tightest": tightest}
