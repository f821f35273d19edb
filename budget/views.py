"""The finance pages (docs/budget.md, "Pages"): overview, ledgers, bookings, reconciliation.

Views parse input, call one service or selector and render; who may see what is decided in budget/rules.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from budget import services
from budget.charts import monthly_bars, progress, stacked_bar
from budget.exceptions import BudgetError
from budget.forms import ExpenditureForm, LedgerFilterForm, ReallocationForm, ReversalForm
from budget.models import BudgetLine, LedgerEntry, Programme, Reallocation
from budget.money import euro
from budget.selectors import budget_lines, forecast, ledger_page, monthly_spending, programme_totals, reconcile

LEDGER_PAGE_SIZE = 50


def _require(request, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(permission)


def programme_asked_for(request) -> Programme:
    """The programme asked for (?programme=slug), or the most recent one (also the payments pages')."""
    slug = request.GET.get("programme")
    if slug:
        return get_object_or_404(Programme, slug=slug)
    programme = Programme.objects.order_by("-starts_on", "slug").first()
    if programme is None:
        raise Http404("No programme yet: load the reference data (manage.py load_reference_data).")
    return programme


@login_required
def overview(request):
    """Each line as a bar (spent / committed / available), totals against funding, spending per month."""
    _require(request, "budget.view_budget")
    programme = programme_asked_for(request)
    lines = list(budget_lines(programme))
    rows = [{"line": line, "balance": line.balance(), "bar": stacked_bar(line.balance())} for line in lines]
    totals = programme_totals(programme, lines)
    outlook = forecast(programme, lines)
    return render(request, "budget/overview.html", {
        "forecast": outlook,
        "households_bar": progress(outlook.households.reached or 0, outlook.households.target),
        "large_measures_bar": progress(outlook.large_measures.reached or 0, outlook.large_measures.target),
        "dwellings_bar": progress(outlook.dwellings_equipped.reached or 0, outlook.dwellings_equipped.target),
        "programme": programme,
        "programmes": Programme.objects.order_by("-starts_on", "slug"),
        "rows": rows,
        "totals": totals,
        "total_bar": stacked_bar(totals.balance),
        "chart": monthly_bars(monthly_spending(programme)),
        "may_see_ledger": request.user.has_perm("budget.view_ledger"),
        "may_reallocate": request.user.has_perm("budget.reallocate_budget"),
        "may_reconcile": request.user.has_perm("budget.reconcile_budget"),
    })


def _line(pk: int) -> BudgetLine:
    return get_object_or_404(BudgetLine.objects.select_related("programme"), pk=pk)


def _book(form, act) -> bool:
    """Run a service for a valid form; a refusal becomes a field error on the form. True when booked."""
    try:
        act()
    except BudgetError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return False
    return True


@login_required
def ledger(request, pk: int):
    """One line's entries, newest first, filtered by kind and booking date, 50 to a page (keyset pages)."""
    _require(request, "budget.view_ledger")
    line = _line(pk)
    filters = LedgerFilterForm(request.GET or None)
    entries = filters.filter(LedgerEntry.objects.filter(line=line))
    page = ledger_page(line, entries, older_than=request.GET.get("older_than"),
                       newer_than=request.GET.get("newer_than"), size=LEDGER_PAGE_SIZE, filtered=filters.is_filtering())
    query = request.GET.copy()
    for cursor in ("older_than", "newer_than"):
        query.pop(cursor, None)
    return render(request, "budget/ledger.html", {
        "line": line,
        "balance": line.balance(),
        "bar": stacked_bar(line.balance()),
        "filters": filters,
        "page": page,
        "querystring": query.urlencode(),
        "chart": monthly_bars(monthly_spending(line.programme, line=line)),
        "may_book": request.user.has_perm("budget.book_expenditure"),
        "may_reverse": request.user.has_perm("budget.reverse_entry"),
    })


@login_required
def book_expenditure(request, pk: int):
    """Book a direct expenditure on the line (e.g. a partner's monthly invoice)."""
    _require(request, "budget.book_expenditure")
    line = _line(pk)
    form = ExpenditureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _book(form, lambda: services.spend_direct(line, data["amount"], by=request.user, note=data["note"],
                                                     booked_on=data["booked_on"])):
            messages.success(request, _("Expenditure of %(amount)s booked on %(line)s.")
                             % {"amount": euro(data["amount"]), "line": line.name})
            return redirect("budget:ledger", pk=line.pk)
    return render(request, "budget/expenditure_form.html", {"line": line, "balance": line.balance(), "form": form})


@login_required
def reverse_entry(request, pk: int):
    """Undo an entry with a counter-entry, giving the reason."""
    _require(request, "budget.reverse_entry")
    entry = get_object_or_404(LedgerEntry.objects.with_details(), pk=pk)
    form = ReversalForm(request.POST or None)
    booked = request.method == "POST" and form.is_valid() and _book(
        form, lambda: services.reverse_entry(entry, by=request.user, note=form.cleaned_data["note"]))
    if booked:
        messages.success(request, _("The entry has been reversed."))
        return redirect("budget:ledger", pk=entry.line_id)
    return render(request, "budget/reversal_form.html", {"entry": entry, "line": entry.line, "form": form})


@login_required
def reallocate(request, slug: str):
    """Move allocated money from one line to another, with the reason."""
    _require(request, "budget.reallocate_budget")
    programme = get_object_or_404(Programme, slug=slug)
    form = ReallocationForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _book(form, lambda: services.reallocate(data["from_line"], data["to_line"], data["amount"],
                                                   by=request.user, reason=data["reason"])):
            messages.success(request, _("%(amount)s moved from %(from)s to %(to)s.")
                             % {"amount": euro(data["amount"]), "from": data["from_line"].name,
                                "to": data["to_line"].name})
            return redirect(f"{request.path}")
    history = (Reallocation.objects.filter(programme=programme).select_related("from_line", "to_line", "by")[:20])
    return render(request, "budget/reallocation_form.html", {
        "programme": programme, "form": form, "history": history, "lines": budget_lines(programme)})


@login_required
def reconciliation(request):
    """Every line's balance recomputed from the ledger next to the cached totals; differences stand out."""
    _require(request, "budget.reconcile_budget")
    programme = programme_asked_for(request)
    rows = reconcile(programme)
    return render(request, "budget/reconciliation.html", {
        "programme": programme, "rows": rows, "differences": [row for row in rows if not row.agrees]})
