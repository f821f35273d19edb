import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from budget import progress
from budget.models import BudgetLine, LedgerEntry
from budget.selectors import forecast, reconcile
from budget.services import commit, reverse_entry, spend_direct

pytestmark = pytest.mark.django_db


def test_before_any_grant_the_forecast_uses_the_programme_default_of_3000(programme):
    outlook = forecast(programme)

    assert (outlook.average_grant, outlook.average_grant_is_default) == (Decimal("3000.00"), True)
    assert outlook.more_large_measures == 200  # €600,000 / €3,000
    assert (outlook.average_product_spend, outlook.more_dwellings) == (Decimal("330.00"), 1515)  # €500,000 / €330


def test_the_forecast_uses_the_average_grant_so_far(programme, grants_line, assessor, finance_officer):
    commit(grants_line, "2000.00", by=assessor)
    commit(grants_line, "4000.00", by=assessor)
    reverse_entry(commit(grants_line, "5000.00", by=assessor), by=finance_officer, note="wrong application")

    outlook = forecast(programme)

    assert (outlook.average_grant, outlook.average_grant_is_default) == (Decimal("3000.00"), False)
    assert outlook.grants_available == Decimal("594000.00")
    assert outlook.more_large_measures == 198


def test_without_a_count_of_homes_equipped_the_average_product_spend_is_per_household_reached(
        programme, products_line, finance_officer, monkeypatch):
    monkeypatch.delitem(progress._counters, progress.DWELLINGS_EQUIPPED, raising=False)
    monkeypatch.setitem(progress._counters, progress.HOUSEHOLDS_REACHED, lambda p: 100)
    spend_direct(products_line, "45000.00", by=finance_officer)

    outlook = forecast(programme)

    assert (outlook.average_product_spend, outlook.average_product_spend_is_default) == (Decimal("450.00"), False)
    assert outlook.more_dwellings == 1011  # €455,000 / €450
    assert outlook.households.reached == 100 and outlook.households.percentage == Decimal("6.7")


def test_households_reached_are_those_that_were_ever_active(programme):
    from tests.factories import HouseholdFactory

    HouseholdFactory()  # registered only: not reached yet
    HouseholdFactory(active=True)
    HouseholdFactory(closed=True)  # closed after the programme worked with it
    HouseholdFactory(closed_unreached=True)  # closed straight from registered: never reached

    assert progress.count(progress.HOUSEHOLDS_REACHED, programme) == 2


def test_a_household_closed_before_consent_is_not_reached_one_closed_after_being_active_is(programme, coordinator):
    from households.services import close_household, record_consent, reopen_household
    from tests.factories import HouseholdFactory

    never_active = HouseholdFactory(programme=programme)
    close_household(never_active, by=coordinator, reason="Bewoner niet bereikbaar")
    worked_with = HouseholdFactory(programme=programme)
    record_consent(worked_with, by=coordinator, statement_version="2022-1", given_on=datetime.date(2023, 3, 1),
                   processing=True)
    close_household(worked_with, by=coordinator, reason="Bezoeken afgerond")
    assert progress.count(progress.HOUSEHOLDS_REACHED, programme) == 1

    record_consent(never_active, by=coordinator, statement_version="2022-1", given_on=datetime.date(2023, 4, 1),
                   processing=True)
    reopen_household(never_active, by=coordinator, reason="Bewoner meldt zich alsnog")

    assert progress.count(progress.HOUSEHOLDS_REACHED, programme) == 2


def test_a_registered_counter_for_homes_equipped_becomes_the_basis_of_the_product_average(
        programme, products_line, finance_officer, monkeypatch):
    monkeypatch.setitem(progress._counters, progress.DWELLINGS_EQUIPPED, lambda p: 50)
    spend_direct(products_line, "16500.00", by=finance_officer)

    outlook = forecast(programme)

    assert (outlook.product_spend_basis, outlook.average_product_spend) == ("dwellings_equipped", Decimal("330.00"))


def test_large_measures_count_the_granted_applications(client, programme, finance_officer, users_by_role):
    from tests.factories import application_in

    for state in ("approved", "paid", "withdrawn", "in_review"):
        application_in(state, users_by_role)
    client.force_login(finance_officer)

    page = client.get(reverse("budget:overview")).content.decode()

    assert forecast(programme).large_measures.reached == 2  # approved and paid; not withdrawn or undecided
    assert "grote maatregelen worden geteld zodra" not in page


def test_an_unknown_progress_measure_is_refused():
    with pytest.raises(ValueError):
        progress.register("happiness", lambda p: 1)


def test_the_demo_programme_is_in_mid_flight_and_loads_once(settings, programme):
    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)
    entries = LedgerEntry.objects.count()
    call_command("load_demo_data", verbosity=0)

    assert LedgerEntry.objects.count() == entries
    grants = BudgetLine.objects.get(programme=programme, kind="grants")
    assert grants.committed_open > 0 and grants.spent > 0
    assert BudgetLine.objects.filter(programme=programme, spent__gt=0).count() >= 5
    assert all(row.agrees and row.invariant_holds for row in reconcile(programme))


def test_the_finance_start_page_summarises_the_budget(client, programme, finance_officer, grants_line):
    spend_direct(grants_line, "1000.00", by=finance_officer)
    client.force_login(finance_officer)

    page = client.get(reverse("accounts:start")).content.decode()

    assert "Meest gebruikte posten" in page
    assert reverse("budget:ledger", args=[grants_line.pk]) in page


def test_the_coordinator_start_page_summarises_the_budget_too(client, programme, coordinator):
    client.force_login(coordinator)

    page = client.get(reverse("accounts:start")).content.decode()

    assert "Meest gebruikte posten" in page
