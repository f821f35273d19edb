"""Scenarios on a hand-computed register: who moves in and out of each tier, by household type and tenure, and what
it would cost against what the budget lines still have.

The register (Hilversum 2022, on 1 September 2022: norms of 1 July 2022; 130% of the norm without holiday allowance
is € 1,360.75 for a single person and € 1,943.93 for a couple, DOMAIN.md). The scenario: 150% (single € 1,570.10,
couple € 2,243.00, single at pension age € 1,746.59), labels D or worse, a maximum grant of € 7,000.

| household | type | income | label | tenure | now | scenario |
|---|---|---|---|---|---|---|
| H1 | single | 1,300.00 | D | owner | all tiers | all tiers |
| H2 | single | 1,450.00 | E | owner | none (income) | all tiers: moves in |
| H3 | couple | 2,100.00 | F | social rent | none (income) | small, medium: moves in |
| H4 | single parent | 1,500.00 | G | private rent | none (income) | small, medium: moves in |
| H5 | single | 1,200.00 | C | owner | all tiers | none (label): moves out |
| H6 | couple | 1,800.00 | C | social rent | small, medium | none (label): moves out |
| H7 | single | 1,600.00 | D | owner | none (income) | none (income) |
| H8 | single | letter | B | owner | none (label) | none (label) |
| H9 | couple, pension age | unknown | E | owner | undecided | undecided |
| H10 | single | 1,000.00 | D | owner | closed: not in the register |
| H11 | single, pension age | 1,550.00 | unknown | owner | none (income over € 1,513.71) | undecided |
"""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from reports.scenarios import ScenarioResult, ScenarioValues, run_scenario
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

SEPTEMBER_2022 = datetime.date(2022, 9, 1)
IN_FORCE = {"income_percentage": Decimal("130.00"), "worst_non_qualifying_label": "B",
            "max_large_grant": Decimal("5000.00")}
WHAT_IF = ScenarioValues(income_percentage=Decimal("150"), worst_non_qualifying_label="C",
                         max_large_grant=Decimal("7000.00"))


def household(name, household_type, income, label, tenure, *, allowance="no", **fields):
    return HouseholdFactory(contact_name=name, household_type=household_type, net_monthly_income=income,
                            energy_allowance=allowance, dwelling__energy_label=label, dwelling__tenure=tenure,
                            **fields)


@pytest.fixture
def register(programme):
    household("H1", "single", "1300.00", "D", "owner_occupier", active=True)
    household("H2", "single", "1450.00", "E", "owner_occupier")
    household("H3", "couple", "2100.00", "F", "social_rent", active=True)
    household("H4", "single_parent", "1500.00", "G", "private_rent")
    household("H5", "single", "1200.00", "C", "owner_occupier", active=True)
    household("H6", "couple", "1800.00", "C", "social_rent")
    household("H7", "single", "1600.00", "D", "owner_occupier")
    household("H8", "single", None, "B", "owner_occupier", allowance="yes")
    household("H9", "couple_pension_age", None, "E", "owner_occupier", allowance="unknown")
    household("H10", "single", "1000.00", "D", "owner_occupier", closed=True)
    household("H11", "single_pension_age", "1550.00", "unknown", "owner_occupier")
    return programme


def counts(result, tier):
    count = result.tier(tier)
    return (count.eligible_now, count.eligible_scenario, count.moved_in, count.moved_out, count.undecided_now,
            count.undecided_scenario)


def test_three_move_into_the_small_and_medium_tiers_and_two_move_out(register):
    result = run_scenario(register, WHAT_IF, on_date=SEPTEMBER_2022)

    assert result.households == 10  # H10 is closed
    assert counts(result, "small") == (3, 4, 3, 2, 1, 2)
    assert counts(result, "medium") == (3, 4, 3, 2, 1, 2)
    assert counts(result, "large") == (2, 2, 1, 1, 1, 2)


def test_the_moves_by_household_type_and_by_tenure(register):
    result = run_scenario(register, WHAT_IF, on_date=SEPTEMBER_2022)

    by_type = {row.key: (row.households, row.moves["small"], row.moves["large"]) for row in result.by_household_type}
    assert by_type == {
        "single": (5, [1, 1], [1, 1]),  # H2 in, H5 out
        "single_parent": (1, [1, 0], [0, 0]),  # H4 in
        "couple": (2, [1, 1], [0, 0]),  # H3 in, H6 out
        "single_pension_age": (1, [0, 0], [0, 0]),  # H11 becomes undecided, not eligible
        "couple_pension_age": (1, [0, 0], [0, 0]),
    }
    by_tenure = {row.key: (row.households, row.moves["medium"], row.moves["large"]) for row in result.by_tenure}
    assert by_tenure == {
        "owner_occupier": (7, [1, 1], [1, 1]),
        "social_rent": (2, [1, 1], [0, 0]),
        "private_rent": (1, [1, 0], [0, 0]),
    }


def test_the_values_in_force_change_nobody(register):
    result = run_scenario(register, ScenarioValues(**IN_FORCE), on_date=SEPTEMBER_2022)

    assert [counts(result, tier) for tier in ("small", "medium", "large")] == [
        (3, 3, 0, 0, 1, 1), (3, 3, 0, 0, 1, 1), (2, 2, 0, 0, 1, 1)]
    assert result.in_force == ScenarioValues(**IN_FORCE)


def test_the_budget_effect_before_any_package_or_grant(register):
    result = run_scenario(register, WHAT_IF, on_date=SEPTEMBER_2022)

    products = result.products
    # No package installed yet: the programme's expected € 330 per dwelling, at most the limit of € 330.
    assert (products.newly_qualifying, products.dropping_out, products.average_so_far) == (3, 2, None)
    assert (products.expected_value, products.cost) == (Decimal("330.00"), Decimal("990.00"))
    assert (products.available, products.allocated) == (Decimal("500000.00"), Decimal("500000.00"))
    grants = result.grants
    # No grant yet: the target's 200 large measures of the 2 eligible now is more than all: 100% take-up.
    assert (grants.newly_eligible, grants.take_up, grants.take_up_basis) == (1, Decimal("100.0"), "target")
    assert (grants.average_grant, grants.average_grant_is_default) == (Decimal("3000.00"), True)
    assert (grants.expected_grants, grants.new_grants_cost) == (Decimal("1.0"), Decimal("3000.00"))
    assert (grants.applications_above_maximum, grants.extra_on_applications) == (0, Decimal("0.00"))
    assert (grants.cost, grants.available) == (Decimal("3000.00"), Decimal("600000.00"))


def test_a_take_up_given_is_used(register):
    grants = run_scenario(register, replace(WHAT_IF, take_up=Decimal("45")), on_date=SEPTEMBER_2022).grants

    assert (grants.take_up, grants.take_up_basis, grants.expected_grants) == (Decimal("45"), "given", Decimal("0.5"))
    assert grants.new_grants_cost == Decimal("1350.00")  # 1 × 45% × € 3,000


def test_a_result_survives_being_stored_as_json(register):
    result = run_scenario(register, WHAT_IF, on_date=SEPTEMBER_2022)

    assert ScenarioResult.from_record(result.as_record()) == result


def test_a_higher_maximum_adds_what_open_and_approved_applications_asked_above_the_old_one(programme, people):
    from tests.factories import application_in

    # Contractor, quote € 6,500: granted € 5,000. DIY roof of 200 m²: 200 × 1.1 × € 30 + 200 × € 6 = € 7,800, in
    # review at € 5,000. A quote of € 4,200 is within the maximum; a paid one's grant is fixed.
    application_in("approved", people, quote_amount=Decimal("6500.00"))
    application_in("in_review", people, diy=True, diy_area_m2=Decimal("200"))
    application_in("submitted", people)
    application_in("paid", people, quote_amount=Decimal("9000.00"), invoice="9000.00", payout="5000.00")

    grants = run_scenario(programme, WHAT_IF).grants

    assert grants.applications_above_maximum == 2
    assert grants.extra_on_applications == Decimal("3500.00")  # € 1,500 + € 2,000 (up to € 7,000)
    # The approved and the paid household have their large measure: 2 of the 4 that could get one got it.
    assert (grants.take_up, grants.take_up_basis) == (Decimal("50.0"), "so_far")
    assert grants.average_grant == Decimal("5000.00")  # committed: € 5,000 twice
    assert grants.available == Decimal("590000.00")  # € 600,000 − € 5,000 committed − € 5,000 paid


def test_a_lower_or_equal_maximum_adds_nothing(programme, people):
    from tests.factories import application_in

    application_in("approved", people, quote_amount=Decimal("6500.00"))

    grants = run_scenario(programme, replace(WHAT_IF, max_large_grant=Decimal("4000.00"))).grants

    assert (grants.applications_above_maximum, grants.extra_on_applications) == (1, Decimal("0.00"))


def test_the_expected_package_is_the_average_installed_so_far_at_most_the_limit(programme, handyman, coordinator):
    from tests.subsidy.test_package_figures import installed

    # € 250,00, € 330,00 and € 450,00 installed: € 343.33 on average, above the limit of € 330.
    installed(handyman, coordinator, {"Isolerende gordijnen": 5})
    installed(handyman, coordinator, {"Isolerende gordijnen": 5, "Isolerende raamfolie": 4})
    installed(handyman, coordinator, {"Isolerende gordijnen": 9}, reason="Negen ramen op het noorden")
    household("Nieuw", "single", "1450.00", "E", "social_rent")  # moves in at 150%

    products = run_scenario(programme, WHAT_IF, on_date=SEPTEMBER_2022).products

    assert (products.dwellings_equipped, products.average_so_far) == (3, Decimal("343.33"))
    assert (products.newly_qualifying, products.expected_value, products.cost) == (
        1, Decimal("330.00"), Decimal("330.00"))
    assert products.available == Decimal("500000.00") - Decimal("1030.00")


def test_below_the_limit_the_average_so_far_is_expected(programme, handyman, coordinator):
    from tests.subsidy.test_package_figures import installed

    installed(handyman, coordinator, {"Isolerende gordijnen": 5})  # € 250
    household("Nieuw", "single", "1450.00", "E", "social_rent")
    household("Nieuw 2", "couple", "2100.00", "G", "owner_occupier")

    products = run_scenario(programme, WHAT_IF, on_date=SEPTEMBER_2022).products

    assert (products.expected_value, products.cost) == (Decimal("250.00"), Decimal("500.00"))
