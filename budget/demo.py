"""Demo data: the Hilversum programme in mid-flight (never in production; see accounts.demo).

Partners' monthly invoices paid on the execution, handymen, welfare and communication lines. The grants line
moves with the demo's large-measure applications (subsidy.demo): approvals commit, payments spend, withdrawals
and lapses release. The energy-saving-products line moves with the demo's products packages (fieldwork.demo):
a product is booked once, through the package that installs it, so no products are ordered here. Booked through
the services, so the ledger and the cached totals agree. Idempotent: does nothing when the programme already
has ledger entries.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from budget.models import BudgetLine, LedgerEntry, Programme
from budget.services import spend_direct

PROGRAMME = "hilversum-2022"
MONTHS = [datetime.date(2022, month, 28) for month in range(3, 13)] + [datetime.date(2023, 1, 28),
                                                                      datetime.date(2023, 2, 28)]
MONTHLY_INVOICES = {  # line kind → (amount per month, supplier)
    BudgetLine.Kind.EXECUTION: ("6250.00", "Gemeente Hilversum, projectleiding"),
    BudgetLine.Kind.HANDYMEN: ("16500.00", "Energieklussers Gooi en Vecht"),
    BudgetLine.Kind.WELFARE: ("8333.33", "Versa Welzijn, opbouwwerk"),
}
COMMUNICATION = [("2022-03-15", "4850.00", "Huis-aan-huisfolder"), ("2022-09-22", "2375.00", "Wijkbijeenkomsten")]



def load() -> None:
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    if programme is None or LedgerEntry.objects.filter(line__programme=programme).exists():
        return
    User = get_user_model()
    finance = User.objects.get(username="finance")
    lines = {line.kind: line for line in BudgetLine.objects.filter(programme=programme)}
    with transaction.atomic():
        for kind, (amount, supplier) in MONTHLY_INVOICES.items():
            for month in MONTHS:
                spend_direct(lines[kind], amount, by=finance, booked_on=month,
                             note=f"{supplier}, factuur {month:%m-%Y}")
        for day, amount, note in COMMUNICATION:
            spend_direct(lines[BudgetLine.Kind.COMMUNICATION], amount, by=finance,
                         booked_on=datetime.date.fromisoformat(day), note=note)
