"""Reference numbers stay unique when many registrations race, on real PostgreSQL.

Each registration runs in its own thread with its own connection, all released at once. The
programme row lock in `register_household` makes them take turns for the number.
"""

import threading

import pytest
from django.db import connection

from households.models import Household
from households.services import register_household
from tests.households.conftest import DWELLING, HOUSEHOLD

pytestmark = [pytest.mark.postgres]


def race(acts):
    barrier = threading.Barrier(len(acts))
    results = [None] * len(acts)

    def run(index, act):
        try:
            barrier.wait(timeout=30)
            results[index] = act()
        except Exception as error:  # the test reports what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, act)) for i, act in enumerate(acts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_twenty_simultaneous_registrations_get_twenty_different_numbers(postgres_required, transactional_db,
                                                                         programme, coordinator):
    def register():
        return register_household(programme=programme, by=coordinator, household=HOUSEHOLD,
                                  dwelling={**DWELLING, "energy_label_date": None})

    results = race([register] * 20)

    assert all(isinstance(result, Household) for result in results), results
    references = sorted(Household.objects.values_list("reference", flat=True))
    assert references == [f"HIL-{n:05d}" for n in range(1, 21)]
