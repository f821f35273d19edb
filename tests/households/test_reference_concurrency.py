"""Reference numbers stay unique when many registrations race, on real PostgreSQL.

Each registration runs in its own thread with its own connection, all released at once. The
programme row lock in `register_household` makes them take turns for the number.
"""

import pytest

from households.models import Household
from households.services import register_household
from tests.concurrency import race
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
