"""The invariant under concurrency, on real PostgreSQL: open commitments + spent ≤ allocated.

Each test starts many threads at once (a barrier), each with its own database connection, and lets
them race on one budget line. Skipped with a visible reason on SQLite (which serialises all writers).
"""

from decimal import Decimal

import pytest

from budget.exceptions import BudgetError
from budget.models import BudgetLine, LedgerEntry
from budget.selectors import reconcile
from budget.services import commit, release, spend_commitment
from tests.concurrency import held_open, race

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def line_with_1000_available(postgres_required, transactional_db, programme):
    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)
    BudgetLine.objects.filter(pk=line.pk).update(allocated="1000.00")
    line.refresh_from_db()
    return line


def test_thirty_simultaneous_commitments_of_100_on_1000_available_exactly_ten_succeed(
        line_with_1000_available, assessor):
    line = line_with_1000_available

    results = race(*[lambda: commit(line, "100.00", by=assessor)] * 30)

    booked = [r for r in results if isinstance(r, LedgerEntry)]
    refused = [r for r in results if isinstance(r, BudgetError)]
    assert (len(booked), len(refused)) == (10, 20), [r for r in results if not isinstance(r, LedgerEntry | BudgetError)]
    line.refresh_from_db()
    assert (line.committed_open, line.available) == (Decimal("1000.00"), 0)
    assert all(row.agrees and row.invariant_holds for row in reconcile(line.programme))


def test_simultaneous_payment_and_release_never_spend_more_than_was_committed(
        line_with_1000_available, assessor, finance_officer):
    line = line_with_1000_available
    commitments = [commit(line, "250.00", by=assessor) for _ in range(4)]

    acts = []
    for commitment in commitments:
        acts += [lambda c=commitment: spend_commitment(c, "200.00", by=finance_officer),
                 lambda c=commitment: spend_commitment(c, "150.00", by=finance_officer),
                 lambda c=commitment: release(c, "100.00", by=assessor),
                 lambda c=commitment: release(c, by=assessor)]
    results = race(*acts)

    unexpected = [r for r in results if not isinstance(r, LedgerEntry | BudgetError)]
    assert not unexpected
    for commitment in commitments:
        drawn = LedgerEntry.objects.filter(refers_to=commitment).values_list("amount", flat=True)
        assert sum(drawn) <= Decimal("250.00")
    line.refresh_from_db()
    assert line.committed_open + line.spent <= Decimal("1000.00")
    assert all(row.agrees and row.invariant_holds for row in reconcile(line.programme))


def test_a_booking_does_not_wait_for_a_transaction_that_holds_the_programme_row(
        line_with_1000_available, programme, assessor):
    """A booking locks its line only: not the programme (registrations, admin edits) nor other lines."""
    import time

    from django.db import transaction

    from budget.models import Programme

    def hold_the_programme(wait):
        with transaction.atomic():
            Programme.objects.select_for_update().get(pk=programme.pk)
            wait()

    with held_open(hold_the_programme):
        started = time.monotonic()
        entry = commit(line_with_1000_available, "100.00", by=assessor)
        took = time.monotonic() - started

    assert entry.amount == Decimal("100.00")
    assert took < 2
