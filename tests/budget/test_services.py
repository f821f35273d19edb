from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.audit import history_of
from accounts.models import AuditEvent
from budget.exceptions import (
    BudgetError,
    CommitmentExceeded,
    InsufficientBudget,
    InvalidAmount,
    NotReversible,
    ReallocationRefused,
    WrongEntry,
)
from budget.models import BudgetLine, LedgerEntry, Reallocation
from budget.selectors import commitment_open_amount, reconcile
from budget.services import (
    commit,
    reallocate,
    release,
    reverse_entry,
    spend_commitment,
    spend_direct,
    validate_amount,
)

pytestmark = pytest.mark.django_db


def balance_of(line):
    line.refresh_from_db()
    return line.balance()


def assert_ledger_agrees_with_cache(programme):
    assert all(row.agrees and row.invariant_holds for row in reconcile(programme))


# --- Amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "0.00", "-5", "-0.01", "10.005", "1e-3", "abc", "", "NaN", "Infinity",
                                   1.5, True, "10000000000.00"])
def test_a_bad_amount_is_refused(value):
    with pytest.raises(InvalidAmount):
        validate_amount(value)


@pytest.mark.parametrize(("value", "expected"), [("12.5", "12.50"), ("100", "100.00"), (7, "7.00"),
                                                 (Decimal("0.01"), "0.01"), ("1.230", "1.23")])
def test_a_good_amount_becomes_two_decimals(value, expected):
    assert str(validate_amount(value)) == expected


# --- Commitments --------------------------------------------------------------------------------


def test_a_commitment_reserves_money_on_the_line(programme, small_line, assessor):
    entry = commit(small_line, "400.00", by=assessor, note="HIL-0001")

    balance = balance_of(small_line)
    assert entry.kind == LedgerEntry.Kind.COMMITMENT
    assert (balance.committed, balance.spent, balance.available) == (Decimal("400.00"), 0, Decimal("600.00"))
    assert balance.percentage_used == Decimal("40.0")
    assert history_of(small_line).get().action == "budget.committed"
    assert_ledger_agrees_with_cache(programme)


def test_a_commitment_larger_than_what_is_available_is_refused_and_nothing_is_booked(small_line, assessor):
    commit(small_line, "900.00", by=assessor)

    with pytest.raises(InsufficientBudget, match="100"):
        commit(small_line, "100.01", by=assessor)

    assert LedgerEntry.objects.count() == 1
    assert balance_of(small_line).available == Decimal("100.00")


def test_exactly_what_is_available_may_be_committed(small_line, assessor):
    commit(small_line, "1000.00", by=assessor)

    assert balance_of(small_line).available == 0


@pytest.mark.parametrize("amount", ["0", "-100", "10.001"])
def test_a_commitment_with_a_bad_amount_books_nothing(small_line, assessor, amount):
    with pytest.raises(InvalidAmount):
        commit(small_line, amount, by=assessor)

    assert not LedgerEntry.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_commitment_may_point_at_its_source(small_line, assessor, finance_officer):
    entry = commit(small_line, "100.00", by=assessor, source=finance_officer)  # any model will do

    assert LedgerEntry.objects.get(pk=entry.pk).source == finance_officer


def test_a_booking_date_in_the_future_is_refused(small_line, assessor):
    with pytest.raises(BudgetError) as refused:
        commit(small_line, "1.00", by=assessor, booked_on=timezone.localdate() + timedelta(days=1))

    assert refused.value.field == "booked_on"
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("who", ["handyman", "community"])
def test_handymen_and_community_workers_may_not_commit(small_line, users_by_role, who):
    with pytest.raises(PermissionDenied):
        commit(small_line, "1.00", by=users_by_role[who])

    assert not LedgerEntry.objects.exists()


# --- Releases -----------------------------------------------------------------------------------


def test_releasing_part_of_a_commitment_makes_it_available_again(programme, small_line, assessor):
    commitment = commit(small_line, "500.00", by=assessor)

    release(commitment, "200.00", by=assessor, note="lower quote")

    assert commitment_open_amount(commitment) == Decimal("300.00")
    assert balance_of(small_line).available == Decimal("700.00")
    assert_ledger_agrees_with_cache(programme)


def test_releasing_without_an_amount_releases_everything_still_open(small_line, assessor, finance_officer):
    commitment = commit(small_line, "500.00", by=assessor)
    spend_commitment(commitment, "450.00", by=finance_officer)

    entry = release(commitment, by=finance_officer)

    assert entry.amount == Decimal("50.00")
    assert commitment_open_amount(commitment) == 0
    assert (balance_of(small_line).committed, balance_of(small_line).spent) == (0, Decimal("450.00"))


def test_releasing_more_than_is_open_is_refused(small_line, assessor):
    commitment = commit(small_line, "500.00", by=assessor)
    release(commitment, "400.00", by=assessor)

    with pytest.raises(CommitmentExceeded):
        release(commitment, "100.01", by=assessor)
    release(commitment, by=assessor)
    with pytest.raises(CommitmentExceeded):
        release(commitment, by=assessor)

    assert LedgerEntry.objects.count() == 3


def test_only_a_commitment_can_be_released(small_line, finance_officer):
    expenditure = spend_direct(small_line, "10.00", by=finance_officer)

    with pytest.raises(WrongEntry):
        release(expenditure, by=finance_officer)


# --- Expenditure --------------------------------------------------------------------------------


def test_paying_a_commitment_turns_reserved_money_into_spent_money(programme, small_line, assessor, finance_officer):
    commitment = commit(small_line, "500.00", by=assessor)

    spend_commitment(commitment, "300.00", by=finance_officer, note="invoice 17")

    balance = balance_of(small_line)
    assert (balance.committed, balance.spent, balance.available) == (Decimal("200.00"), Decimal("300.00"),
                                                                     Decimal("500.00"))
    assert_ledger_agrees_with_cache(programme)


def test_paying_more_than_is_open_on_a_commitment_is_refused(small_line, assessor, finance_officer):
    commitment = commit(small_line, "500.00", by=assessor)
    spend_commitment(commitment, "300.00", by=finance_officer)

    with pytest.raises(CommitmentExceeded):
        spend_commitment(commitment, "200.01", by=finance_officer)

    assert balance_of(small_line).spent == Decimal("300.00")


def test_assessors_may_commit_but_not_pay(small_line, assessor):
    commitment = commit(small_line, "500.00", by=assessor)

    with pytest.raises(PermissionDenied):
        spend_commitment(commitment, "1.00", by=assessor)
    with pytest.raises(PermissionDenied):
        spend_direct(small_line, "1.00", by=assessor)


def test_direct_expenditure_is_booked_on_the_line(programme, handymen_line, finance_officer):
    spend_direct(handymen_line, "33333.33", by=finance_officer, note="invoice October")

    assert balance_of(handymen_line).spent == Decimal("33333.33")
    assert_ledger_agrees_with_cache(programme)


def test_direct_expenditure_over_the_line_is_refused(small_line, assessor, finance_officer):
    commit(small_line, "600.00", by=assessor)

    with pytest.raises(InsufficientBudget):
        spend_direct(small_line, "400.01", by=finance_officer)
    spend_direct(small_line, "400.00", by=finance_officer)

    assert balance_of(small_line).available == 0


@pytest.mark.parametrize("who", ["coordinator", "assessor", "handyman", "community"])
def test_only_finance_officers_book_expenditure(small_line, users_by_role, who):
    with pytest.raises(PermissionDenied):
        spend_direct(small_line, "1.00", by=users_by_role[who])


# --- Reversals ----------------------------------------------------------------------------------


def test_reversing_a_direct_expenditure_gives_the_money_back(programme, small_line, finance_officer):
    expenditure = spend_direct(small_line, "250.00", by=finance_officer)

    reversal = reverse_entry(expenditure, by=finance_officer, note="booked on the wrong line")

    assert (reversal.kind, reversal.amount, reversal.refers_to) == (LedgerEntry.Kind.REVERSAL, Decimal("250.00"),
                                                                    expenditure)
    assert balance_of(small_line).spent == 0
    assert LedgerEntry.objects.count() == 2  # the original stays
    assert_ledger_agrees_with_cache(programme)


def test_reversing_a_payment_on_a_commitment_opens_the_commitment_again(programme, small_line, assessor,
                                                                        finance_officer):
    commitment = commit(small_line, "500.00", by=assessor)
    payment = spend_commitment(commitment, "500.00", by=finance_officer)

    reverse_entry(payment, by=finance_officer, note="paid twice")

    assert commitment_open_amount(commitment) == Decimal("500.00")
    assert (balance_of(small_line).committed, balance_of(small_line).spent) == (Decimal("500.00"), 0)
    assert_ledger_agrees_with_cache(programme)


def test_reversing_a_release_reserves_the_money_again_if_it_is_still_there(programme, small_line, assessor,
                                                                           finance_officer):
    commitment = commit(small_line, "500.00", by=assessor)
    released = release(commitment, "500.00", by=assessor)
    spend_direct(small_line, "600.00", by=finance_officer)

    with pytest.raises(InsufficientBudget):
        reverse_entry(released, by=finance_officer, note="released by mistake")
    reverse_entry(spend_direct(small_line, "1.00", by=finance_officer), by=finance_officer, note="typo")

    assert balance_of(small_line).available == Decimal("400.00")
    assert_ledger_agrees_with_cache(programme)


def test_reversing_an_untouched_commitment_cancels_it(programme, small_line, assessor, finance_officer):
    commitment = commit(small_line, "500.00", by=assessor)

    reverse_entry(commitment, by=finance_officer, note="approved the wrong application")

    assert commitment_open_amount(commitment) == 0
    assert balance_of(small_line).committed == 0
    with pytest.raises(CommitmentExceeded):
        spend_commitment(commitment, "1.00", by=finance_officer)
    assert_ledger_agrees_with_cache(programme)


def test_a_commitment_with_payments_on_it_cannot_be_reversed(small_line, assessor, finance_officer):
    commitment = commit(small_line, "500.00", by=assessor)
    spend_commitment(commitment, "100.00", by=finance_officer)

    with pytest.raises(NotReversible):
        reverse_entry(commitment, by=finance_officer, note="oops")


def test_a_reversal_of_a_reversal_is_refused(small_line, finance_officer):
    reversal = reverse_entry(spend_direct(small_line, "10.00", by=finance_officer), by=finance_officer, note="x")

    with pytest.raises(NotReversible):
        reverse_entry(reversal, by=finance_officer, note="undo the undo")

    assert LedgerEntry.objects.count() == 2


def test_an_entry_is_reversed_only_once(small_line, finance_officer):
    expenditure = spend_direct(small_line, "10.00", by=finance_officer)
    reverse_entry(expenditure, by=finance_officer, note="x")

    with pytest.raises(NotReversible):
        reverse_entry(expenditure, by=finance_officer, note="again")

    assert balance_of(small_line).spent == 0


def test_a_reversal_needs_a_reason(small_line, finance_officer):
    expenditure = spend_direct(small_line, "10.00", by=finance_officer)

    with pytest.raises(BudgetError) as refused:
        reverse_entry(expenditure, by=finance_officer, note="  ")

    assert refused.value.field == "note"
    assert LedgerEntry.objects.count() == 1


# --- Reallocation -------------------------------------------------------------------------------


def test_reallocation_moves_money_between_lines(programme, grants_line, products_line, coordinator):
    reallocation = reallocate(products_line, grants_line, "50000.00", by=coordinator, reason="more large measures")

    grants_line.refresh_from_db()
    products_line.refresh_from_db()
    assert (grants_line.allocated, products_line.allocated) == (Decimal("650000.00"), Decimal("450000.00"))
    assert Reallocation.objects.get() == reallocation
    assert history_of(reallocation).get().note == "more large measures"


def test_reallocation_never_takes_a_line_below_what_it_has_used(grants_line, products_line, assessor,
                                                                finance_officer):
    commit(grants_line, "550000.00", by=assessor)
    spend_direct(grants_line, "30000.00", by=finance_officer)

    with pytest.raises(ReallocationRefused):
        reallocate(grants_line, products_line, "20000.01", by=finance_officer, reason="shift")
    reallocate(grants_line, products_line, "20000.00", by=finance_officer, reason="shift")

    assert balance_of(grants_line).available == 0
    assert Reallocation.objects.count() == 1


def test_reallocation_needs_a_reason_and_two_lines_of_one_programme(grants_line, products_line, finance_officer):
    with pytest.raises(BudgetError):
        reallocate(grants_line, products_line, "1.00", by=finance_officer, reason="")
    with pytest.raises(ReallocationRefused):
        reallocate(grants_line, grants_line, "1.00", by=finance_officer, reason="same line")
    with pytest.raises(InvalidAmount):
        reallocate(grants_line, products_line, "-1.00", by=finance_officer, reason="negative")

    assert not Reallocation.objects.exists()


def test_assessors_may_not_reallocate(grants_line, products_line, assessor):
    with pytest.raises(PermissionDenied):
        reallocate(grants_line, products_line, "1.00", by=assessor, reason="x")


def test_the_database_refuses_a_line_that_is_over_committed(small_line):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=small_line.pk).update(committed_open="600.00", spent="400.01")
