"""The finance pages (docs/budget.md, "Pages"): overview, ledgers, bookings, exports, reconciliation.

Views parse input, call one service or selector and render; who may see what is decided in budget/rules.py.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from budget.charts import monthly_bars, stacked_bar
from budget.models import Programme
from budget.selectors import budget_lines, monthly_spending, programme_totals


def _require(request, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(permission)


def _programme(request) -> Programme:
    """The programme asked for (?programme=slug), or the most recent one."""
    slug = request.GET.get("programme")
    if slug:
        return get_object_or_404(Programme, slug=slug)
    programme = Programme.objects.order_by("-starts_on", "slug").first()
    if programme is None:
        raise PermissionDenied("no programme")  # nothing to show; reference data not loaded
    return programme


@login_required
def overview(request):
    """Each line as a bar (spent / committed / available), totals against funding, spending per month."""
    _require(request, "budget.view_budget")
    programme = _programme(request)
    lines = list(budget_lines(programme))
    rows = [{"line": line, "balance": line.balance(), "bar": stacked_bar(line.balance())} for line in lines]
    totals = programme_totals(programme, lines)
    return render(request, "budget/overview.html", {
        "programme": programme,
        "programmes": Programme.objects.order_by("-starts_on", "slug"),
        "rows": rows,
        "totals": totals,
        "total_bar": stacked_bar(totals.balance),
        "chart": monthly_bars(monthly_spending(programme)),
        # The ledger, reallocation and reconciliation pages follow in the next step.
        "may_see_ledger": False,
        "may_reallocate": False,
        "may_reconcile": False,
    })
