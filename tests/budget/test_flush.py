"""Transactional tests empty the database between tests; the ledger's DELETE trigger must let that pass."""

import pytest
from django.core.management import call_command

from budget.models import LedgerEntry
from budget.services import spend_direct


@pytest.mark.django_db(transaction=True)
def test_flushing_the_whole_database_also_empties_the_ledger(programme, finance_officer):
    from budget.models import BudgetLine

    spend_direct(BudgetLine.objects.filter(programme=programme).first(), "1.00", by=finance_officer)

    call_command("flush", interactive=False, verbosity=0)

    assert not LedgerEntry.objects.exists()
