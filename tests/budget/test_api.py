from decimal import Decimal

import pytest
from django.core.management import call_command

from budget.models import LedgerEntry
from budget.services import commit, spend_direct

pytestmark = pytest.mark.django_db

LINES = "/api/v1/programmes/hilversum-2022/budget-lines/"


def expenditures(line):
    return f"{LINES}{line.pk}/expenditures/"


def test_the_lines_come_with_their_balance_as_decimal_strings(api, programme, grants_line, assessor,
                                                              finance_officer):
    commit(grants_line, "3000.00", by=assessor)
    spend_direct(grants_line, "1500.50", by=finance_officer)
    api.force_authenticate(assessor)

    answer = api.get(LINES).json()

    assert len(answer) == 7
    grants = next(line for line in answer if line["kind"] == "grants")
    assert {k: grants[k] for k in ("allocated", "committed", "spent", "available")} == {
        "allocated": "600000.00", "committed": "3000.00", "spent": "1500.50", "available": "595499.50"}


def test_an_unknown_programme_is_404(api, programme, finance_officer):
    api.force_authenticate(finance_officer)

    assert api.get("/api/v1/programmes/nowhere/budget-lines/").status_code == 404


def test_finance_books_a_direct_expenditure(api, handymen_line, finance_officer):
    api.force_authenticate(finance_officer)

    response = api.post(expenditures(handymen_line), {"amount": "33333.33", "note": "invoice October",
                                                      "booked_on": "2022-10-31"}, format="json")

    assert response.status_code == 201
    assert response.json()["amount"] == "33333.33"
    assert response.json()["kind"] == "expenditure"
    handymen_line.refresh_from_db()
    assert handymen_line.spent == Decimal("33333.33")


@pytest.mark.parametrize("amount", ["0", "-1.00", "10.005", 10.005, "abc", None, ""])
def test_a_bad_amount_is_a_400_on_amount_and_nothing_is_booked(api, handymen_line, finance_officer, amount):
    api.force_authenticate(finance_officer)

    response = api.post(expenditures(handymen_line), {"amount": amount}, format="json")

    assert response.status_code == 400
    assert "amount" in response.json()
    assert not LedgerEntry.objects.exists()


def test_more_than_is_available_is_a_400_in_dutch(api, small_line, finance_officer):
    api.force_authenticate(finance_officer)

    response = api.post(expenditures(small_line), {"amount": "1000.01"}, format="json", HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 400
    assert "beschikbaar" in response.json()["amount"][0]
    assert not LedgerEntry.objects.exists()


def test_a_booking_date_in_the_future_is_a_400(api, handymen_line, finance_officer):
    api.force_authenticate(finance_officer)

    response = api.post(expenditures(handymen_line), {"amount": "1.00", "booked_on": "2999-01-01"}, format="json")

    assert response.status_code == 400
    assert "booked_on" in response.json()


def test_a_line_of_another_programme_is_404(api, programme, finance_officer):
    api.force_authenticate(finance_officer)

    assert api.post(f"{LINES}999/expenditures/", {"amount": "1.00"}, format="json").status_code == 404


def test_the_schema_generates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
