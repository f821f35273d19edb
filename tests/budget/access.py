"""Access expectations for every budget URL (tests/test_access_matrix.py walks them); see docs/budget.md.

Finance officers and the coordinator see every budget page; assessors the overview and the API list
(read-only); handymen and community workers nothing (403). Booking expenditure is for finance officers.
"""

from tests.access import Url

NOBODY_ELSE = {"anonymous": 302, "handyman": 403, "handyman2": 403, "community": 403}


def build(ctx):
    from budget.models import BudgetLine

    return {"programme": ctx.programme,
            "line": BudgetLine.objects.get(programme=ctx.programme, kind=BudgetLine.Kind.HANDYMEN)}


def api(**expect):
    return {"anonymous": 403, "handyman": 403, "handyman2": 403, "community": 403, **expect}


URLS = [
    Url("budget:overview", expect={**NOBODY_ELSE, "assessor": 200, "finance": 200, "coordinator": 200}),
    Url("api-v1:budget-line-list", kwargs=lambda o: {"slug": o["programme"].slug},
        expect=api(assessor=200, finance=200, coordinator=200)),
    Url("api-v1:budget-line-expenditure", method="post",
        kwargs=lambda o: {"slug": o["programme"].slug, "pk": o["line"].pk},
        data={"amount": "100.00", "note": "invoice"}, expect=api(assessor=403, finance=201, coordinator=403)),
    Url("api-v1:budget-line-expenditure", method="post",
        kwargs=lambda o: {"slug": o["programme"].slug, "pk": o["line"].pk},
        data={"amount": "0"}, expect=api(assessor=403, finance=400, coordinator=403)),
]
