import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import BudgetLine, LedgerEntry, Reallocation
from budget.services import commit, reverse_entry, spend_direct

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_client(client, finance_officer):
    client.force_login(finance_officer)
    return client


def ledger_url(line, **query):
    from urllib.parse import urlencode

    return reverse("budget:ledger", args=[line.pk]) + ("?" + urlencode(query) if query else "")


# --- The ledger page ----------------------------------------------------------------------------


def test_the_ledger_lists_the_entries_with_what_is_still_open(finance_client, grants_line, assessor, finance_officer):
    commitment = commit(grants_line, "3000.00", by=assessor, note="HIL-0007 roof")
    spend_direct(grants_line, "250.00", by=finance_officer, note="=HYPERLINK()")

    page = finance_client.get(ledger_url(grants_line)).content.decode()

    assert "HIL-0007 roof" in page
    assert f'id="entry-{commitment.pk}"' in page
    assert "2 boekingen" in page
    assert "Terugdraaien" in page


def test_the_ledger_filters_by_kind_and_booking_date(finance_client, grants_line, assessor, finance_officer):
    commit(grants_line, "3000.00", by=assessor, note="the commitment")
    spend_direct(grants_line, "10.00", by=finance_officer, note="old invoice", booked_on=datetime.date(2022, 3, 1))
    spend_direct(grants_line, "20.00", by=finance_officer, note="new invoice", booked_on=datetime.date(2022, 9, 1))

    by_kind = finance_client.get(ledger_url(grants_line, kind="expenditure")).content.decode()
    by_date = finance_client.get(ledger_url(grants_line, date_from="2022-06-01", date_to="2022-12-31")).content.decode()

    assert "old invoice" in by_kind and "new invoice" in by_kind and "the commitment" not in by_kind
    assert "new invoice" in by_date and "old invoice" not in by_date


def test_a_reversed_date_range_is_explained_in_dutch(finance_client, grants_line):
    page = finance_client.get(ledger_url(grants_line, date_from="2022-06-01", date_to="2022-01-01")).content.decode()

    assert "De einddatum ligt voor de begindatum." in page


def test_the_ledger_is_paginated_and_its_queries_do_not_grow_with_the_entries(
        finance_client, grants_line, assessor, finance_officer, django_assert_max_num_queries):
    commit(grants_line, "1.00", by=assessor)
    finance_client.get(ledger_url(grants_line))
    with django_assert_max_num_queries(20) as few:
        finance_client.get(ledger_url(grants_line))
    for _ in range(30):
        reverse_entry(commit(grants_line, "2.00", by=assessor), by=finance_officer, note="undo")

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = finance_client.get(ledger_url(grants_line)).content.decode()

    assert "61 boekingen" in page
    assert page.count('id="entry-') == 50
    assert "older_than=" in page


def _shown_entries(page: str) -> list[int]:
    import re

    return [int(pk) for pk in re.findall(r'<tr id="entry-(\d+)"', page)]


def _link(page: str, rel_text: str) -> str:
    import html
    import re

    match = re.search(rf'<a href="([^"]*)"[^>]*>{rel_text}</a>', page)
    return html.unescape(match.group(1)) if match else ""


def test_walking_the_ledger_older_and_newer_shows_every_entry_once_in_order(
        finance_client, grants_line, finance_officer):
    dates = [datetime.date(2022, 1, 1) + datetime.timedelta(days=day % 7) for day in range(120)]
    booked = [spend_direct(grants_line, "1.00", by=finance_officer, booked_on=day) for day in dates]
    expected = [entry.pk for entry in sorted(booked, key=lambda entry: (entry.booked_on, entry.pk), reverse=True)]
    url = ledger_url(grants_line)

    first = finance_client.get(url).content.decode()
    second = finance_client.get(url + _link(first, "Ouder")).content.decode()
    third = finance_client.get(url + _link(second, "Ouder")).content.decode()
    back = finance_client.get(url + _link(third, "Nieuwer")).content.decode()
    oldest = finance_client.get(url + _link(first, "Oudste")).content.decode()

    assert _shown_entries(first) + _shown_entries(second) + _shown_entries(third) == expected
    assert not _link(third, "Ouder") and not _link(first, "Nieuwer")
    assert _shown_entries(back) == _shown_entries(second)
    assert _shown_entries(oldest) == expected[-50:]
    assert not _link(oldest, "Ouder")


def test_a_filtered_ledger_pages_within_the_filter(finance_client, grants_line, assessor, finance_officer):
    for _ in range(55):
        spend_direct(grants_line, "1.00", by=finance_officer, note="invoice")
    commit(grants_line, "5.00", by=assessor, note="the commitment")

    first = finance_client.get(ledger_url(grants_line, kind="expenditure")).content.decode()
    second = finance_client.get(ledger_url(grants_line) + _link(first, "Ouder")).content.decode()

    assert len(_shown_entries(first)) == 50 and len(_shown_entries(second)) == 5
    assert "the commitment" not in first + second


# --- Booking an expenditure ---------------------------------------------------------------------


def test_finance_books_an_expenditure_with_a_dutch_amount(finance_client, handymen_line):
    response = finance_client.post(reverse("budget:book_expenditure", args=[handymen_line.pk]),
                                   {"amount": "33.333,33".replace(".", ""), "booked_on": "2022-10-31",
                                    "note": "Energieklussers oktober"})

    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount, entry.booked_on) == ("expenditure", Decimal("33333.33"),
                                                           datetime.date(2022, 10, 31))


@pytest.mark.parametrize(("amount", "message"), [
    ("0", "Het bedrag moet groter zijn dan nul."),
    ("-5", "Het bedrag moet groter zijn dan nul."),
    ("10,005", "hoogstens twee decimalen"),
    ("10000000000", "Het bedrag is te groot."),
    ("abc", "Voer een getal in"),
    ("1000,01", "nog maar € 1.000,00 beschikbaar"),
])
def test_a_bad_expenditure_shows_a_dutch_field_error_and_books_nothing(finance_client, small_line, amount, message):
    response = finance_client.post(reverse("budget:book_expenditure", args=[small_line.pk]),
                                   {"amount": amount, "booked_on": "2022-10-31", "note": "invoice"})

    assert response.status_code == 200
    assert message in response.content.decode().replace("\xa0", " ")
    assert not LedgerEntry.objects.exists()


# --- Reversal -----------------------------------------------------------------------------------


def test_finance_reverses_an_entry_with_a_reason(finance_client, handymen_line, finance_officer):
    expenditure = spend_direct(handymen_line, "100.00", by=finance_officer)

    response = finance_client.post(reverse("budget:reverse_entry", args=[expenditure.pk]), {"note": "wrong line"})

    assert response.status_code == 302
    assert LedgerEntry.objects.get(kind="reversal").refers_to == expenditure


def test_a_reversal_of_a_reversal_is_refused_on_the_form(finance_client, handymen_line, finance_officer):
    reversal = reverse_entry(spend_direct(handymen_line, "100.00", by=finance_officer), by=finance_officer, note="x")

    response = finance_client.post(reverse("budget:reverse_entry", args=[reversal.pk]), {"note": "undo"})

    assert response.status_code == 200
    assert "Een tegenboeking kan niet worden teruggedraaid" in response.content.decode()
    assert LedgerEntry.objects.count() == 2


def test_a_reversal_without_a_reason_is_refused(finance_client, handymen_line, finance_officer):
    expenditure = spend_direct(handymen_line, "100.00", by=finance_officer)

    response = finance_client.post(reverse("budget:reverse_entry", args=[expenditure.pk]), {"note": ""})

    assert "Dit veld is vereist." in response.content.decode()
    assert LedgerEntry.objects.count() == 1


# --- Reallocation -------------------------------------------------------------------------------


def test_the_coordinator_reallocates_with_a_reason(client, coordinator, programme, grants_line, products_line):
    client.force_login(coordinator)

    response = client.post(reverse("budget:reallocate", args=[programme.slug]),
                           {"from_line": products_line.pk, "to_line": grants_line.pk, "amount": "50000",
                            "reason": "more owner-occupiers than expected"})

    assert response.status_code == 302
    assert Reallocation.objects.get().amount == Decimal("50000.00")
    assert BudgetLine.objects.get(pk=grants_line.pk).allocated == Decimal("650000.00")


def test_a_reallocation_below_what_is_used_is_refused_on_the_form(finance_client, programme, small_line,
                                                                   products_line, assessor):
    commit(small_line, "900.00", by=assessor)

    response = finance_client.post(reverse("budget:reallocate", args=[programme.slug]),
                                   {"from_line": small_line.pk, "to_line": products_line.pk, "amount": "100,01",
                                    "reason": "shift"})

    assert response.status_code == 200
    assert "kan hoogstens" in response.content.decode()
    assert not Reallocation.objects.exists()


# --- Reconciliation -----------------------------------------------------------------------------


def test_reconciliation_finds_a_tampered_cached_total(client, coordinator, programme, grants_line, assessor):
    from django.db.models import F

    from budget.fields import amount_value

    commit(grants_line, "3000.00", by=assessor)
    BudgetLine.objects.filter(pk=grants_line.pk).update(spent=F("spent") + amount_value(Decimal("0.01")))
    client.force_login(coordinator)

    page = client.get(reverse("budget:reconciliation")).content.decode()

    assert "1 post wijkt af van zijn grootboek" in page
    assert page.count('class="badge ok"') == 6


def test_the_reconcile_command_reports_a_difference_and_fails(programme, grants_line, assessor):
    from django.core.management import CommandError, call_command
    from django.db.models import F

    from budget.fields import amount_value

    call_command("reconcile_budget")  # all agree
    commit(grants_line, "3000.00", by=assessor)
    one_euro = amount_value(Decimal("1.00"))
    BudgetLine.objects.filter(pk=grants_line.pk).update(committed_open=F("committed_open") - one_euro)

    with pytest.raises(CommandError, match="1 of 7"):
        call_command("reconcile_budget", "--programme", programme.slug)


@pytest.mark.parametrize(("typed", "booked"), [("16.500,00", "16500.00"), ("16500", "16500.00"),
                                               ("€ 1.234,5", "1234.50"), ("12.50", "12.50")])
def test_amounts_may_be_typed_the_dutch_way(finance_client, handymen_line, typed, booked):
    finance_client.post(reverse("budget:book_expenditure", args=[handymen_line.pk]),
                        {"amount": typed, "booked_on": "2022-10-31", "note": "invoice"})

    assert LedgerEntry.objects.get().amount == Decimal(booked)


def test_an_amount_with_only_a_thousands_dot_is_not_guessed_at(finance_client, handymen_line):
    response = finance_client.post(reverse("budget:book_expenditure", args=[handymen_line.pk]),
                                   {"amount": "16.500", "booked_on": "2022-10-31", "note": "invoice"})

    assert "zonder duizendtalpunt" in response.content.decode()
    assert not LedgerEntry.objects.exists()
