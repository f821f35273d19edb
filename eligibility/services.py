"""Eligibility checks and calculations on a programme's parameters for a date, and stored assessments.

`check_eligibility`, `calculate_diy_grant`, `calculate_contractor_grant` and `calculate_financing`
look up the parameters valid on the date and run the pure rules and calculators; they store
nothing (the public self-check, the DIY calculator and the public API use them, and so do staff).
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from eligibility.calculators import (
    ContractorGrant,
    DiyGrant,
    FinancingPlan,
    MeasureCost,
    contractor_grant,
    diy_grant,
    financing_plan,
)
from eligibility.parameters import diy_rate_on, measure_costs_on, norm_on, rule_set_on
from eligibility.rules import Circumstances, Eligibility, assess


def check_eligibility(programme, on_date: datetime.date, circumstances: Circumstances) -> Eligibility:
    """The result per tier for these circumstances under the programme's rules on the date.

    Raises `NoParametersOnDate` when the date lies before the first norms or rules.
    """
    norm = norm_on(circumstances.household_type, on_date)
    return assess(circumstances, norm, rule_set_on(programme, on_date))


def calculate_diy_grant(programme, on_date: datetime.date, measure: str, area_m2: Decimal) -> DiyGrant:
    return diy_grant(area_m2, diy_rate_on(programme, measure, on_date), rule_set_on(programme, on_date))


def calculate_contractor_grant(programme, on_date: datetime.date, measure: str, quote: Decimal) -> ContractorGrant:
    return contractor_grant(quote, measure_costs_on(programme, measure, on_date), rule_set_on(programme, on_date))


def calculate_financing(programme, on_date: datetime.date, measures: Sequence[MeasureCost], *,
                        yearly_income: Decimal, loan_years: int,
                        yearly_interest_rate: Decimal | None) -> FinancingPlan:
    return financing_plan(measures, yearly_income=yearly_income, loan_years=loan_years,
                          yearly_interest_rate=yearly_interest_rate, params=rule_set_on(programme, on_date))
