"""Amounts are exact to the cent in the database itself, on SQLite as on PostgreSQL (issue 9).

SQLite keeps DECIMAL columns as binary floats; the budget stores whole cents, so stored amounts, the
ledger's sums and the "never over-committed" constraint are integer arithmetic on every database.
"""

import random
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.exceptions import BudgetError
from budget.models import BudgetLine, LedgerEntry
from budget.selectors import reconcile
from budget.services import commit, release, reverse_entry, spend_commitment, spend_direct

pytestmark = pytest.mark.django_db


def stored(table: str, column: str, pk: int | None = None) -> list:
    """The values as the database holds them, past Django's conversion."""
    where = "" if pk is None else f" WHERE id = {int(pk)}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}{where} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def assessors_line(programme):
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.ASSESSORS)


def test_committing_random_amounts_up_to_exactly_what_is_left_is_never_refused(assessors_line, assessor):
    """Reproduces the defect: the tenth commitment, exactly the €1,817.47 still available, broke the constraint."""
    rng = random.Random(0)
    commitments = []
    while assessors_line.available > 0:
        amount = min(Decimal(rng.randint(1, 999999)) / 100, assessors_line.available)
        commitments.append(commit(assessors_line, amount, by=assessor))
        assessors_line.refresh_from_db()

    assert len(commitments) == 10
    assert commitments[-1].amount == Decimal("1817.47")
    assert assessors_line.committed_open == Decimal("50000.00")
    assert assessors_line.available == Decimal("0.00")
    assert stored("budget_budgetline", "committed_open", assessors_line.pk) == [5_000_000]


def test_releasing_what_is_left_after_a_payment_releases_exactly_the_cents_left(grants_line, assessor, finance_officer):
    commitment = commit(grants_line, "100.10", by=assessor)
    spend_commitment(commitment, "100.00", by=finance_officer)

    released = release(commitment, by=assessor)

    assert released.amount == Decimal("0.10")
    assert LedgerEntry.objects.get(pk=released.pk).amount == Decimal("0.10")
    grants_line.refresh_from_db()
    assert grants_line.committed_open == Decimal("0.00")
    assert grants_line.spent == Decimal("100.00")


def test_ten_commitments_of_ten_cents_are_exactly_one_euro(grants_line, assessor):
    for _ in range(10):
        commit(grants_line, "0.10", by=assessor)

    grants_line.refresh_from_db()
    assert grants_line.committed_open == Decimal("1.00")
    assert BudgetLine.objects.filter(pk=grants_line.pk, committed_open=Decimal("1.00")).exists()
    assert stored("budget_budgetline", "committed_open", grants_line.pk) == [100]


def test_an_amount_with_a_fraction_of_a_cent_is_never_stored(grants_line, assessor):
    with pytest.raises(BudgetError):
        commit(grants_line, "0.005", by=assessor)

    assert not LedgerEntry.objects.exists()


# --- The property: whatever happens, the cached totals are the ledger's sums, to the cent ---------------

cents = st.integers(min_value=1, max_value=60_000_000).map(lambda c: Decimal(c) / 100)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("commit"), cents),
        st.tuples(st.just("spend_direct"), cents),
        st.tuples(st.just("spend"), st.integers(0, 20), cents),
        st.tuples(st.just("release"), st.integers(0, 20), st.one_of(st.none(), cents)),
        st.tuples(st.just("reverse"), st.integers(0, 40)),
    ),
    min_size=1, max_size=25,
)


class Rollback(Exception):
    pass


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=actions)
def test_any_sequence_of_bookings_keeps_the_cached_totals_equal_to_the_ledger(
        steps, grants_line, assessor, finance_officer):
    try:
        with transaction.atomic():
            _book_all(steps, grants_line, assessor=assessor, finance=finance_officer)

            (line,) = [r for r in reconcile(grants_line.programme) if r.line.pk == grants_line.pk]
            assert line.agrees, (line.cached, line.from_ledger, line.months_differing)
            assert line.invariant_holds
            for entry in LedgerEntry.objects.all():
                assert entry.amount == entry.amount.quantize(Decimal("0.01"))
            assert all(isinstance(value, int) for value in stored("budget_ledgerentry", "amount"))
            assert all(isinstance(value, int) for value in stored("budget_budgetline", "spent"))
            raise Rollback
    except Rollback:
        pass


def _book_all(steps, line, *, assessor, finance):
    commitments: list[LedgerEntry] = []
    entries: list[LedgerEntry] = []
    for step in steps:
        kind, *args = step
        try:
            if kind == "commit":
                entry = commit(line, args[0], by=assessor)
                commitments.append(entry)
            elif kind == "spend_direct":
                entry = spend_direct(line, args[0], by=finance)
            elif kind == "spend" and commitments:
                entry = spend_commitment(commitments[args[0] % len(commitments)], args[1], by=finance)
            elif kind == "release" and commitments:
                entry = release(commitments[args[0] % len(commitments)], args[1], by=assessor)
            elif kind == "reverse" and entries:
                entry = reverse_entry(entries[args[0] % len(entries)], by=finance, note="mistake")
            else:
                continue
        except BudgetError:
            continue  # refused: nothing booked, checked by the totals agreeing below
        entries.append(entry)


def test_the_month_summaries_follow_every_booking(grants_line, assessor, finance_officer):
    import datetime

    from budget.models import LineMonth
    from budget.selectors import monthly_spending

    commitment = commit(grants_line, "3000.00", by=assessor, booked_on=datetime.date(2022, 3, 5))
    spend_commitment(commitment, "1000.00", by=finance_officer, booked_on=datetime.date(2022, 4, 1))
    paid = spend_direct(grants_line, "250.50", by=finance_officer, booked_on=datetime.date(2022, 4, 20))
    reverse_entry(paid, by=finance_officer, note="wrong line", booked_on=datetime.date(2022, 5, 2))

    months = {m.month: (m.committed, m.spent, m.entries) for m in LineMonth.objects.filter(line=grants_line)}
    assert months == {
        datetime.date(2022, 3, 1): (Decimal("3000.00"), Decimal("0.00"), 1),
        datetime.date(2022, 4, 1): (Decimal("-1000.00"), Decimal("1250.50"), 2),
        datetime.date(2022, 5, 1): (Decimal("0.00"), Decimal("-250.50"), 1),
    }
    assert monthly_spending(grants_line.programme, line=grants_line) == [
        (datetime.date(2022, 4, 1), Decimal("1250.50")), (datetime.date(2022, 5, 1), Decimal("-250.50"))]
    grants_line.refresh_from_db()
    assert grants_line.entry_count == 4


def test_reconcile_notices_a_wrong_month_summary_and_a_rebuild_repairs_it(grants_line, assessor):
    from budget.models import LineMonth
    from budget.services import rebuild_line_totals

    commit(grants_line, "3000.00", by=assessor)
    LineMonth.objects.filter(line=grants_line).update(spent=Decimal("5.00"))

    (row,) = [r for r in reconcile(grants_line.programme) if r.line.pk == grants_line.pk]
    assert not row.agrees and len(row.months_differing) == 1

    rebuild_line_totals(grants_line)

    (row,) = [r for r in reconcile(grants_line.programme) if r.line.pk == grants_line.pk]
    assert row.agrees
