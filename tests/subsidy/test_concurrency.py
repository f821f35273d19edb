"""Approvals racing on real PostgreSQL: one application approved by two assessors at once, and thirty approvals
racing for a grants line with room for ten (issue 11). Skipped with its reason on SQLite, failing in CI."""

from decimal import Decimal

import pytest

from accounts.errors import Conflict
from budget.exceptions import InsufficientBudget
from budget.models import BudgetLine, LedgerEntry
from budget.selectors import reconcile
from subsidy import services
from subsidy.models import Application
from tests.concurrency import race
from tests.factories import UserFactory, application_in

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def people(postgres_required, transactional_db, programme, users_by_role):
    return {**users_by_role, "assessor2": UserFactory(username="assessor2", role="assessor")}


def test_two_assessors_approving_at_once_one_wins_and_one_commitment_is_booked(people, programme):
    application = application_in("in_review", people)

    results = race(lambda: services.approve(Application.objects.get(pk=application.pk), by=people["assessor"]),
                   lambda: services.approve(Application.objects.get(pk=application.pk), by=people["assessor2"]))

    won = [result for result in results if isinstance(result, Application)]
    lost = [result for result in results if isinstance(result, Conflict)]
    assert (len(won), len(lost)) == (1, 1), results
    assert "Iemand anders heeft deze aanvraag intussen gewijzigd" in str(lost[0])
    assert LedgerEntry.objects.filter(source_id=str(application.pk), kind="commitment").count() == 1
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


def test_thirty_approvals_racing_for_a_line_with_room_for_ten_exactly_ten_win(people, programme):
    applications = [application_in("in_review", people, quote_amount=Decimal("1000.00")) for _ in range(30)]
    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)
    BudgetLine.objects.filter(pk=line.pk).update(allocated=line.committed_open + line.spent + Decimal("10000.00"))

    results = race(*[lambda pk=application.pk: services.approve(Application.objects.get(pk=pk), by=people["assessor"])
                     for application in applications])

    approved = [result for result in results if isinstance(result, Application)]
    refused = [result for result in results if isinstance(result, InsufficientBudget)]
    assert (len(approved), len(refused)) == (10, 20), [r for r in results if not isinstance(r, Application)][:3]
    assert Application.objects.filter(pk__in=[a.pk for a in applications], status="approved").count() == 10
    line.refresh_from_db()
    assert line.available == Decimal("0.00")
    assert all(row.agrees and row.invariant_holds for row in reconcile(programme))
