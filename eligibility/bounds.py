"""What people can plausibly enter about a household: shared by the register, the self-check and the API.

A value outside these bounds is a typing mistake (or an attack), never a real household: the forms, the
API and the import refuse it with a field error. A monthly income above `IMPLAUSIBLE_MONTHLY_INCOME` is
possible but unusual in an energy-poverty programme: the register's form asks to confirm it.
"""

import datetime
from decimal import Decimal

MAX_MONTHLY_INCOME = Decimal("100000.00")  # net per month; above this it is no household's income
IMPLAUSIBLE_MONTHLY_INCOME = Decimal("10000.00")  # above this the household form asks "is this right?"
MAX_YEARLY_INCOME = 12 * MAX_MONTHLY_INCOME
MAX_RESIDENTS = 20
MAX_AREA_M2 = Decimal("5000")  # a dwelling's floor area, or an area to insulate
MAX_MEASURE_COST = Decimal("1000000.00")  # the cost of one insulation measure

# The programme's reference data (norms, rule sets, rates): dated within this century, amounts within reason.
EARLIEST_RULE_DATE = datetime.date(2000, 1, 1)
LATEST_RULE_DATE = datetime.date(2099, 12, 31)
MAX_PARAMETER_AMOUNT = Decimal("10000000.00")
