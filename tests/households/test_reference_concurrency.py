"""Reference numbers stay unique when many registrations race, on real PostgreSQL.

Each registration runs in its own thread with its own connection, all released at once. The
programme's reference counter row makes them take turns for the number, each for a moment only.
"""

import pytest

from households.models import Household
from households.services import register_household
from tests.concurrency import held_open, race
from tests.households.conftest import DWELLING, HOUSEHOLD

pytestmark = [pytest.mark.postgres]


def test_twenty_simultaneous_registrations_get_twenty_different_numbers(postgres_required, transactional_db,
                                                                         programme, coordinator):
    def register():
        return register_household(programme=programme, by=coordinator, household=HOUSEHOLD,
                                  dwelling={**DWELLING, "energy_label_date": None})

    results = race(*[register] * 20)

    assert all(isinstance(result, Household) for result in results), results
    references = sorted(Household.objects.values_list("reference", flat=True))
    assert references == [f"HIL-{n:05d}" for n in range(1, 21)]


def test_a_commitment_and_a_registration_complete_while_an_import_transaction_is_open(
        postgres_required, transactional_db, programme, coordinator, assessor):
    """An import registers all its rows in one long transaction: bookings and registrations must not wait."""
    import time

    from django.db import transaction

    from budget.models import BudgetLine
    from budget.services import commit
    from households.services import reserve_references

    def long_import(wait):
        references = reserve_references(programme, 3)  # as the import does, before its transaction
        with transaction.atomic():
            for reference in references:
                register_household(programme=programme, by=coordinator, household=HOUSEHOLD,
                                   dwelling={**DWELLING, "energy_label_date": None}, reference=reference)
            wait()

    with held_open(long_import):
        started = time.monotonic()
        grants = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)
        commitment = commit(grants, "3000.00", by=assessor)
        household = register_household(programme=programme, by=coordinator, household=HOUSEHOLD,
                                       dwelling={**DWELLING, "energy_label_date": None})
        took = time.monotonic() - started

    assert commitment.amount == 3000
    assert household.reference == "HIL-00004"
    assert took < 2
    assert Household.objects.count() == 4
