"""Changing a household as a request does it: no transaction around it but the service's own (select_for_update
needs one on PostgreSQL; the tests' usual transaction would hide a service without it)."""

import pytest

from households.models import Household
from households.services import update_household
from tests.factories import HouseholdFactory


@pytest.mark.django_db(transaction=True)
def test_a_change_is_its_own_transaction(programme, coordinator):
    household = HouseholdFactory(programme=programme, contact_name="A. Jansen")

    update_household(household, by=coordinator, household_changes={"contact_name": "B. Jansen"}, dwelling_changes={})

    assert Household.objects.get(pk=household.pk).contact_name == "B. Jansen"
