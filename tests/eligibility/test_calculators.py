"""The DIY, contractor and financing calculators (pure: no database), with DOMAIN.md's worked examples."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from eligibility.calculators import (
    InterestRateNeeded,
    MeasureCost,
    contractor_grant,
    diy_grant,
    financing_plan,
    monthly_annuity,
    monthly_rate,
)
from tests.eligibility.values import DIY_RATES, HILVERSUM_2022, MEASURE_COSTS


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


# --- DIY ---------------------------------------------------------------------------------------


def test_the_plans_worked_example_roof_70_m2_gives_2310_plus_420_is_2730():
    result = diy_grant(D("70"), DIY_RATES["roof"], HILVERSUM_2022)

    assert [line.amount for line in result.lines] == [D("2310.00"), D("420.00"), D("2730.00")]
    assert result.grant == D("2730.00")
    assert result.lines[0].label == "Insulation material: 70 m² × 1.1 (cutting loss) × €30.00 per m²"
    assert result.lines[1].label == "Finishing: 70 m² × €6.00 per m²"
    assert not any("maximum" in note for note in result.notes)


@pytest.mark.parametrize(("measure", "area", "grant"), [
    ("facade", "100", "4780.00"),      # 100 × 1.1 × 38 = 4,180 + 600
    ("attic_floor", "130", "1924.00"),  # 130 × 1.1 × 8 = 1,144 + 780
    ("floor", "50", "905.00"),          # 50 × 1.1 × 11 = 605 + 300
    ("soil", "50", "630.00"),           # 50 × 1.1 × 6 = 330 + 300
    ("roof", "0", "0.00"),
])
def test_each_diy_measure_has_its_own_rate(measure, area, grant):
    assert diy_grant(D(area), DIY_RATES[measure], HILVERSUM_2022).grant == D(grant)


def test_the_area_is_capped_at_the_measures_maximum_with_a_note():
    result = diy_grant(D("200"), DIY_RATES["attic_floor"], HILVERSUM_2022)

    assert result.area_used_m2 == D("130.00")
    assert result.grant == D("1924.00")
    assert result.notes[0] == ("The area of 200 m² is more than the maximum of 130 m² for this measure; "
                               "the grant is computed on 130 m².")


def test_the_grant_is_capped_at_the_programme_maximum_with_a_note():
    result = diy_grant(D("170"), DIY_RATES["facade"], HILVERSUM_2022)  # 7,106 + 1,020 = 8,126

    assert result.lines[2].amount == D("8126.00")
    assert result.grant == D("5000.00")
    assert result.lines[-1].amount == D("5000.00")
    assert any("above the maximum grant of €5,000.00" in note for note in result.notes)


def test_the_diy_grant_is_rounded_half_up_once_at_the_end():
    # 0.25 × 1.1 × 11 = 3.025 and 0.25 × 6 = 1.50: 4.525 → 4.53 (not 4.52, and not 3.03 + 1.50 rounded apart)
    assert diy_grant(D("0.25"), DIY_RATES["floor"], HILVERSUM_2022).grant == D("4.53")
    # 0.01 × 1.1 × 11 = 0.121 and 0.06: the lines show 0.12 and 0.06, the grant is 0.181 → 0.18
    assert diy_grant(D("0.01"), DIY_RATES["floor"], HILVERSUM_2022).grant == D("0.18")


def test_a_negative_area_is_refused():
    with pytest.raises(ValueError):
        diy_grant(D("-1"), DIY_RATES["roof"], HILVERSUM_2022)


def test_a_higher_maximum_grant_lifts_the_cap():
    raised = replace(HILVERSUM_2022, max_large_grant=D("7000.00"))

    assert diy_grant(D("140"), DIY_RATES["facade"], raised).grant == D("6692.00")  # 5,852 + 840


@given(st.sampled_from(sorted(DIY_RATES)), st.decimals(min_value=D("0"), max_value=D("1000"), places=2))
def test_a_diy_grant_is_never_above_the_maximum_nor_below_zero(measure, area):
    grant = diy_grant(area, DIY_RATES[measure], HILVERSUM_2022).grant

    assert D("0.00") <= grant <= HILVERSUM_2022.max_large_grant


@given(st.sampled_from(sorted(DIY_RATES)), st.decimals(min_value=D("0"), max_value=D("1000"), places=2),
       st.decimals(min_value=D("0"), max_value=D("1000"), places=2))
def test_the_diy_grant_never_decreases_as_the_area_grows(measure, one, other):
    smaller, larger = sorted((one, other))

    assert (diy_grant(smaller, DIY_RATES[measure], HILVERSUM_2022).grant
            <= diy_grant(larger, DIY_RATES[measure], HILVERSUM_2022).grant)


# --- Contractor --------------------------------------------------------------------------------


def test_the_contractor_grant_is_the_quote_within_the_indicative_range():
    result = contractor_grant(D("4800.00"), MEASURE_COSTS["roof"], HILVERSUM_2022)

    assert result.grant == D("4800.00")
    assert result.warnings == ()


def test_a_quote_above_the_maximum_gives_the_maximum():
    result = contractor_grant(D("6000.00"), MEASURE_COSTS["roof"], HILVERSUM_2022)

    assert result.grant == D("5000.00")
    assert "above the maximum grant" in result.notes[0]
    assert "outside the indicative range of €4,500.00 to €5,000.00" in result.warnings[0]


@pytest.mark.parametrize(("measure", "quote"), [("floor", "3500.00"), ("glass", "2000.00"),
                                                 ("cavity_wall", "999.99"), ("roof", "4499.99")])
def test_a_quote_outside_the_indicative_range_is_warned_about(measure, quote):
    result = contractor_grant(D(quote), MEASURE_COSTS[measure], HILVERSUM_2022)

    assert result.grant == D(quote)
    assert len(result.warnings) == 1


def test_a_quote_at_the_edges_of_the_range_is_plausible():
    assert contractor_grant(D("1000.00"), MEASURE_COSTS["cavity_wall"], HILVERSUM_2022).warnings == ()
    assert contractor_grant(D("3800.00"), MEASURE_COSTS["cavity_wall"], HILVERSUM_2022).warnings == ()


@given(st.decimals(min_value=D("0"), max_value=D("100000"), places=2))
def test_a_contractor_grant_is_never_above_the_maximum_nor_the_quote(quote):
    grant = contractor_grant(quote, MEASURE_COSTS["glass"], HILVERSUM_2022).grant

    assert D("0") <= grant <= min(quote, HILVERSUM_2022.max_large_grant)


# --- Financing ---------------------------------------------------------------------------------


def four_measures_of_3000():
    return [MeasureCost(measure, D("3000")) for measure in ("roof", "floor", "cavity_wall", "glass")]


def test_the_plans_financing_example_four_measures_of_3000():
    plan = financing_plan(four_measures_of_3000(), yearly_income=D("30000"), loan_years=15,
                          yearly_interest_rate=D("0.04"), params=HILVERSUM_2022)

    assert plan.total_cost == D("12000.00")
    assert plan.isde == D("3600.00")
    assert plan.municipal_grant == D("3000.00")
    assert plan.loan == D("5400.00")
    assert plan.interest_rate == D("0")
    assert plan.monthly_payment == D("30.00")
    assert plan.own_contribution == D("0.00")


def test_income_exactly_at_the_warmtefonds_limit_borrows_at_zero_percent():
    plan = financing_plan(four_measures_of_3000(), yearly_income=D("45014.00"), loan_years=15,
                          yearly_interest_rate=D("0.04"), params=HILVERSUM_2022)

    assert plan.monthly_payment == D("30.00")


def test_income_one_cent_above_the_limit_borrows_at_the_given_rate_as_an_annuity():
    plan = financing_plan(four_measures_of_3000(), yearly_income=D("45014.01"), loan_years=15,
                          yearly_interest_rate=D("0.04"), params=HILVERSUM_2022)

    assert plan.interest_rate == D("0.04")
    assert plan.monthly_payment == D("39.75")  # 5,400 at (1.04^(1/12) − 1) a month over 180 months


def test_above_the_limit_without_an_interest_rate_the_rate_is_asked_for():
    with pytest.raises(InterestRateNeeded):
        financing_plan(four_measures_of_3000(), yearly_income=D("60000"), loan_years=15, yearly_interest_rate=None,
                       params=HILVERSUM_2022)


def test_the_monthly_rate_is_the_twelfth_root_of_the_yearly_rate_in_decimal():
    rate = monthly_rate(D("0.04"))

    assert isinstance(rate, D)
    assert str(rate).startswith("0.0032737397821988")
    assert monthly_annuity(D("5400"), D("0"), 15) == D("30.00")
    assert monthly_annuity(D("0"), D("0.04"), 15) == D("0.00")


def test_one_measure_gets_no_isde_and_says_why():
    plan = financing_plan([MeasureCost("roof", D("4800"))], yearly_income=D("20000"), loan_years=10,
                          yearly_interest_rate=None, params=HILVERSUM_2022)

    assert plan.isde == D("0.00")
    assert plan.municipal_grant == D("4800.00")
    assert plan.loan == D("0.00")
    assert any("2 or more measures" in note for note in plan.notes)


def test_a_rest_below_the_loan_minimum_is_paid_from_own_means():
    plan = financing_plan([MeasureCost("roof", D("1000")), MeasureCost("floor", D("900"))],
                          yearly_income=D("20000"), loan_years=10, yearly_interest_rate=None, params=HILVERSUM_2022)

    # 1,900 − ISDE 570 − grant 1,000 = 330 < 1,000
    assert plan.loan == D("0.00")
    assert plan.own_contribution == D("330.00")
    assert plan.monthly_payment == D("0.00")


def test_the_loan_is_at_most_its_maximum():
    plan = financing_plan([MeasureCost("roof", D("60000")), MeasureCost("facade", D("50000"))],
                          yearly_income=D("20000"), loan_years=20, yearly_interest_rate=None, params=HILVERSUM_2022)

    # 110,000 − 33,000 − 5,000 = 72,000 → loan 65,000, own 7,000
    assert plan.loan == D("65000.00")
    assert plan.own_contribution == D("7000.00")


costs = st.decimals(min_value=D("0"), max_value=D("50000"), places=2)


@given(st.lists(costs, min_size=1, max_size=6), st.decimals(min_value=D("0"), max_value=D("100000"), places=2))
def test_the_financing_plan_adds_up_and_the_grant_stays_within_the_maximum(amounts, income):
    plan = financing_plan([MeasureCost("roof", amount) for amount in amounts], yearly_income=income, loan_years=15,
                          yearly_interest_rate=D("0.05"), params=HILVERSUM_2022)

    assert plan.isde + plan.municipal_grant + plan.loan + plan.own_contribution == plan.total_cost
    assert D("0") <= plan.municipal_grant <= HILVERSUM_2022.max_large_grant
    assert plan.loan <= HILVERSUM_2022.loan_maximum
    assert plan.monthly_payment >= 0
