"""The scenario's one-pass assessment decides every household exactly as `eligibility.rules.assess` does.

No database: random registers (households with a type, an income or none, the energy-allowance letter, a label or
none, a tenure or none, large measures granted) under random rule values, each household compared tier by tier.
"""

from dataclasses import replace
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility.codes import LABEL_SCALE, NORM_CATEGORY, HouseholdType, Tenure, Tier
from eligibility.rules import Circumstances, assess, income_limit
from reports.scenarios import COLUMNS, ScenarioValues, assess_frame, first_qualifying_label, worst_non_qualifying
from tests.eligibility.values import HILVERSUM_2022, NORMS_JULY_2022

incomes = st.one_of(st.none(), st.decimals(min_value=Decimal("0.00"), max_value=Decimal("4000.00"), places=2))
allowances = st.sampled_from(["yes", "no", "unknown"])
labels = st.sampled_from([*LABEL_SCALE, "unknown", "", None])
tenures = st.sampled_from([*Tenure.values, "", None])
large_measures_taken = st.integers(min_value=0, max_value=2)
households = st.tuples(st.sampled_from(HouseholdType.values), incomes, allowances, labels, tenures,
                       large_measures_taken)
rule_values = st.builds(
    lambda percentage, worst, holiday, owner_only, per_dwelling: replace(
        HILVERSUM_2022, income_percentage=percentage, worst_non_qualifying_label=worst,
        norm_includes_holiday_allowance=holiday, large_requires_owner_occupier=owner_only,
        large_measures_per_dwelling=per_dwelling),
    st.decimals(min_value=Decimal("50.00"), max_value=Decimal("300.00"), places=2),
    st.sampled_from(LABEL_SCALE[:-1]), st.booleans(), st.booleans(), st.integers(min_value=1, max_value=2))


def frame_of(rows) -> pd.DataFrame:
    """The register as `register_frame` reads it: the income in whole cents."""
    return pd.DataFrame.from_records(
        [(kind, None if income is None else int(income * 100), allowance, label, tenure, taken)
         for kind, income, allowance, label, tenure, taken in rows], columns=COLUMNS)


def assessed_one_by_one(rows, rules) -> list[dict]:
    results = []
    for kind, income, allowance, label, tenure, taken in rows:
        circumstances = Circumstances(household_type=kind, net_monthly_income=income,
                                      energy_allowance_received=allowance == "yes", energy_label=label or "unknown",
                                      tenure=tenure or None, large_measures_taken=taken)
        eligibility = assess(circumstances, NORMS_JULY_2022[str(NORM_CATEGORY[kind])], rules)
        results.append({str(tier): str(eligibility.tier(tier).status) for tier in Tier})
    return results


def households_near_the_limits(rules):
    """Households whose income is often exactly at, one cent under or one cent over their category's limit."""
    def near_limit(kind):
        limit = income_limit(NORMS_JULY_2022[str(NORM_CATEGORY[kind])], rules)
        return st.sampled_from([limit - Decimal("0.01"), limit, limit + Decimal("0.01")])

    return st.sampled_from(HouseholdType.values).flatmap(lambda kind: st.tuples(
        st.just(kind), st.one_of(incomes, near_limit(kind)), allowances, labels, tenures, large_measures_taken))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_every_household_gets_the_tiers_assess_gives_it(data):
    rules = data.draw(rule_values)
    rows = data.draw(st.lists(households_near_the_limits(rules), min_size=1, max_size=40))

    statuses = assess_frame(frame_of(rows), NORMS_JULY_2022, rules)

    assert statuses.to_dict("records") == assessed_one_by_one(rows, rules)


@settings(max_examples=60, deadline=None)
@given(st.lists(households, min_size=1, max_size=40))
def test_a_scenario_with_the_values_in_force_changes_nobody(rows):
    values = ScenarioValues.in_force(HILVERSUM_2022)
    frame = frame_of(rows)

    now = assess_frame(frame, NORMS_JULY_2022, HILVERSUM_2022)
    scenario = assess_frame(frame, NORMS_JULY_2022, values.applied_to(HILVERSUM_2022))

    assert scenario.equals(now)


def test_an_income_one_cent_over_the_limit_fails_and_at_the_limit_passes():
    # Single, July 2022, 130% without holiday allowance: 1.30 × 0.95 × 1,101.82 = € 1,360.75 (DOMAIN.md).
    rows = [("single", Decimal("1360.75"), "no", "D", "social_rent", 0),
            ("single", Decimal("1360.76"), "no", "D", "social_rent", 0)]

    statuses = assess_frame(frame_of(rows), NORMS_JULY_2022, HILVERSUM_2022)

    assert list(statuses["small"]) == ["eligible", "not_eligible"]


def test_the_label_threshold_reads_as_people_say_it():
    assert first_qualifying_label("B") == "C"
    assert worst_non_qualifying("D") == "C"
