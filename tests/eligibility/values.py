"""The Hilversum 2022 parameters as plain values, for rule and calculator tests without a database.

`test_parameters.py` checks that the reference fixtures give exactly these values.
"""

import datetime
from decimal import Decimal as D

from eligibility.parameters import DiyRateValues, MeasureCostValues, Norm, RuleSetValues

HILVERSUM_2022 = RuleSetValues(
    version="hilversum-2022-v1", valid_from=datetime.date(2022, 1, 1), income_percentage=D("130.00"),
    norm_includes_holiday_allowance=False, worst_non_qualifying_label="B", large_requires_owner_occupier=True,
    large_measures_per_dwelling=1, max_large_grant=D("5000.00"), products_limit_per_dwelling=D("330.00"),
    diy_cutting_loss_factor=D("1.10"), diy_finishing_rate=D("6.00"), isde_percentage=D("30.00"),
    isde_minimum_measures=2, zero_interest_income_limit=D("45014.00"), loan_minimum=D("1000.00"),
    loan_maximum=D("65000.00"), decision_term_days=28,
)

JULY_2022 = datetime.date(2022, 7, 1)
NORMS_JULY_2022 = {
    "single": Norm(JULY_2022, "single", D("1101.82")),
    "couple": Norm(JULY_2022, "couple", D("1574.03")),
    "single_pension_age": Norm(JULY_2022, "single_pension_age", D("1225.67")),
    "couple_pension_age": Norm(JULY_2022, "couple_pension_age", D("1660.36")),
}

START = datetime.date(2022, 1, 1)
DIY_RATES = {
    measure: DiyRateValues(START, measure, D(rate), D(area), D("3.50"))
    for measure, rate, area in [("facade", "38.00", "170.00"), ("roof", "30.00", "200.00"),
                                ("attic_floor", "8.00", "130.00"), ("floor", "11.00", "130.00"),
                                ("soil", "6.00", "130.00")]
}

MEASURE_COSTS = {
    measure: MeasureCostValues(START, measure, D(low), D(high), D(save_low), D(save_high))
    for measure, low, high, save_low, save_high in [
        ("roof", "4500.00", "5000.00", "450.00", "800.00"), ("floor", "1500.00", "2900.00", "250.00", "250.00"),
        ("glass", "3000.00", "4500.00", "380.00", "500.00"), ("cavity_wall", "1000.00", "3800.00", "300.00", "800.00")]
}
