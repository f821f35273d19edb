"""The dated parameters from the reference fixtures, and the lookup on a reference date."""

import datetime
from decimal import Decimal as D

import pytest

from eligibility import codes
from eligibility.models import DiyRate, LargeMeasureCost, RuleSet, SocialMinimumNorm
from eligibility.parameters import NoParametersOnDate, diy_rate_on, measure_costs_on, norm_on, rule_set_on
from eligibility.rules import income_limit
from tests.eligibility.values import DIY_RATES, HILVERSUM_2022, MEASURE_COSTS

NORMS = """
2022-01-01 1091.71 1559.58 1213.06 1642.54
2022-07-01 1101.82 1574.03 1225.67 1660.36
2023-01-01 1195.66 1708.08 1330.67 1807.20
2023-07-01 1216.62 1738.02 1357.66 1843.60
2024-01-01 1283.83 1834.04 1425.76 1933.98
2024-07-01 1308.45 1869.21 1456.85 1976.64
2025-01-01 1345.45 1922.07 1501.07 2053.48
2025-07-01 1369.06 1955.80 1530.21 2094.98
2026-01-01 1401.50 2002.13 1564.69 2144.16
"""
CATEGORIES = ["single", "couple", "single_pension_age", "couple_pension_age"]


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.mark.django_db
def test_every_norm_of_the_domain_table_is_loaded(programme):
    expected = {(day(row.split()[0]), category): D(amount)
                for row in NORMS.strip().splitlines() for category, amount in zip(CATEGORIES, row.split()[1:])}

    loaded = {(norm.valid_from, norm.category): norm.amount for norm in SocialMinimumNorm.objects.all()}

    assert loaded == expected


@pytest.mark.django_db
def test_the_hilversum_rule_set_has_the_plans_values(programme):
    assert rule_set_on(programme, day("2022-09-01")) == HILVERSUM_2022
    assert RuleSet.objects.count() == 1


@pytest.mark.django_db
def test_the_diy_rates_and_indicative_costs_are_loaded(programme):
    for measure, values in DIY_RATES.items():
        assert diy_rate_on(programme, measure, day("2022-09-01")) == values
    for measure, values in MEASURE_COSTS.items():
        assert measure_costs_on(programme, measure, day("2022-09-01")) == values
    assert measure_costs_on(programme, "facade", day("2022-09-01")) is None
    assert DiyRate.objects.count() == 5
    assert LargeMeasureCost.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize(("on", "valid_from", "single_limit"), [
    ("2022-06-30", "2022-01-01", D("1348.26")),  # 1091.71 × 0.95 = 1037.12; × 1.3 = 1348.256
    ("2022-07-01", "2022-07-01", D("1360.75")),  # the day the norms change
    ("2022-12-31", "2022-07-01", D("1360.75")),
    ("2023-01-01", "2023-01-01", D("1476.64")),  # 1195.66 × 0.95 = 1135.88; × 1.3 = 1476.644
    ("2030-01-01", "2026-01-01", D("1730.86")),  # 1401.50 × 0.95 = 1331.43 (1331.425 half up); × 1.3 = 1730.859
])
def test_the_norm_valid_on_a_date_is_the_latest_that_started_on_or_before_it(programme, on, valid_from, single_limit):
    norm = norm_on("single", day(on))

    assert norm.valid_from == day(valid_from)
    assert income_limit(norm, rule_set_on(programme, day(on))) == single_limit


@pytest.mark.django_db
def test_a_single_parent_has_the_single_norm(programme):
    assert norm_on("single_parent", day("2022-09-01")) == norm_on("single", day("2022-09-01"))


@pytest.mark.django_db
def test_a_date_before_the_first_parameters_is_a_clear_error(programme):
    with pytest.raises(NoParametersOnDate) as error:
        norm_on("couple", day("2021-12-31"))
    with pytest.raises(NoParametersOnDate):
        rule_set_on(programme, day("2021-12-31"))
    with pytest.raises(NoParametersOnDate):
        diy_rate_on(programme, "roof", day("2021-12-31"))

    assert error.value.field == "date"
    assert "2021-12-31" in str(error.value)


@pytest.mark.django_db
def test_a_new_rule_set_row_takes_over_from_its_date(programme):
    current = RuleSet.objects.get()
    current.pk = None
    current.version, current.valid_from, current.max_large_grant = "hilversum-2024", day("2024-01-01"), D("7000.00")
    current.save()

    assert rule_set_on(programme, day("2023-12-31")).max_large_grant == D("5000.00")
    assert rule_set_on(programme, day("2024-01-01")).max_large_grant == D("7000.00")


def test_every_household_type_has_a_norm_category():
    assert set(codes.NORM_CATEGORY) == set(codes.HouseholdType.values)


@pytest.mark.django_db
def test_the_coordinator_manages_the_parameters_in_the_admin(client, programme, coordinator):
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)

    for model in ("socialminimumnorm", "ruleset", "diyrate", "largemeasurecost"):
        assert client.get(f"/admin/eligibility/{model}/").status_code == 200
    page = client.get(f"/admin/eligibility/ruleset/{RuleSet.objects.get().pk}/change/").content.decode()
    assert "_saveasnew" in page
