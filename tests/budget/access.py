"""Access expectations for every budget URL (tests/test_access_matrix.py walks them); see docs/budget.md.

Finance officers and the coordinator see every budget page; assessors the overview and the API list
(read-only); handymen and community workers nothing (403). Booking expenditure and reversals is for
finance officers; reallocating for finance officers and the coordinator.
"""

from tests.access import Url

PAGE = {"anonymous": 302, "handyman": 403, "handyman2": 403, "community": 403}


def build(ctx):
    from budget.models import BudgetLine
    from budget.services import spend_direct

    line = BudgetLine.objects.get(programme=ctx.programme, kind=BudgetLine.Kind.HANDYMEN)
    entry = spend_direct(line, "100.00", by=ctx.users["finance"], note="invoice")
    grants = BudgetLine.objects.get(programme=ctx.programme, kind=BudgetLine.Kind.GRANTS)
    return {"programme": ctx.programme, "line": line, "entry": entry, "grants": grants}


def page(**expect):
    return {**PAGE, **expect}


def api(**expect):
    return {"anonymous": 403, "handyman": 403, "handyman2": 403, "community": 403, **expect}


def line(o):
    return {"pk": o["line"].pk}


URLS = [
    Url("budget:overview", expect=page(assessor=200, finance=200, coordinator=200)),
    Url("budget:ledger", kwargs=line, expect=page(assessor=403, finance=200, coordinator=200)),
    Url("budget:book_expenditure", kwargs=line, expect=page(assessor=403, finance=200, coordinator=403)),
    Url("budget:book_expenditure", kwargs=line, method="post",
        data={"amount": "12,50", "booked_on": "2022-10-01", "note": "invoice"},
        expect=page(assessor=403, finance=302, coordinator=403)),
    Url("budget:reverse_entry", kwargs=lambda o: {"pk": o["entry"].pk},
        expect=page(assessor=403, finance=200, coordinator=403)),
    Url("budget:reverse_entry", kwargs=lambda o: {"pk": o["entry"].pk}, method="post", data={"note": "wrong line"},
        expect=page(assessor=403, finance=302, coordinator=403)),
    Url("budget:reallocate", kwargs=lambda o: {"slug": o["programme"].slug},
        expect=page(assessor=403, finance=200, coordinator=200)),
    Url("budget:reallocate", kwargs=lambda o: {"slug": o["programme"].slug}, method="post",
        data=lambda o: {"from_line": o["line"].pk, "to_line": o["grants"].pk, "amount": "10", "reason": "shift"},
        expect=page(assessor=403, finance=302, coordinator=302)),
    Url("budget:reconciliation", expect=page(assessor=403, finance=200, coordinator=200)),
    Url("api-v1:budget-line-list", kwargs=lambda o: {"slug": o["programme"].slug},
        expect=api(assessor=200, finance=200, coordinator=200)),
    Url("api-v1:budget-line-expenditure", method="post",
        kwargs=lambda o: {"slug": o["programme"].slug, "pk": o["line"].pk},
        data={"amount": "100.00", "note": "invoice"}, expect=api(assessor=403, finance=201, coordinator=403)),
    Url("api-v1:budget-line-expenditure", method="post",
        kwargs=lambda o: {"slug": o["programme"].slug, "pk": o["line"].pk},
        data={"amount": "0"}, expect=api(assessor=403, finance=400, coordinator=403)),
]
