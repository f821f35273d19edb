"""Dated parameters as plain values, and the lookup of the row valid on a reference date.

The rules and calculators (`eligibility.rules`, `eligibility.calculators`) are pure: they receive
these frozen values, never model instances, so they can be tested without a database and an
assessment can record exactly what it used (`as_record()`).

Lookup: the row with the latest `valid_from` on or before the date. A date before the first row is
`NoParametersOnDate`, which forms and the API turn into an error on the `date` field.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.errors import Refused
from eligibility.codes import NORM_CATEGORY
from eligibility.models import DiyRate, LargeMeasureCost, RuleSet, SocialMinimumNorm


class NoParametersOnDate(Refused, LookupError):
    """No parameter row is valid on the date: it lies before the first one."""

    field = "date"

    def __init__(self, what: str, on_date: datetime.date):
        self.what = what
        self.on_date = on_date
        super().__init__(_("There are no %(what)s valid on %(date)s: the date lies before the first one.") % {
            "what": what, "date": on_date.isoformat()})


def _record(values) -> dict[str, str]:
    return {key: (value.isoformat() if isinstance(value, datetime.date) else str(value))
            for key, value in asdict(values).items()}


@dataclass(frozen=True)
class Norm:
    valid_from: datetime.date
    category: str
    amount: Decimal  # net per month, including holiday allowance, as published
    holiday_allowance_percentage: Decimal = Decimal("5.00")

    def as_record(self) -> dict[str, str]:
        return _record(self)


@dataclass(frozen=True)
class RuleSetValues:
    version: str
    valid_from: datetime.date
    income_percentage: Decimal
    norm_includes_holiday_allowance: bool
    worst_non_qualifying_label: str
    large_requires_owner_occupier: bool
    large_measures_per_dwelling: int
    max_large_grant: Decimal
    products_limit_per_dwelling: Decimal
    diy_cutting_loss_factor: Decimal
    diy_finishing_rate: Decimal
    isde_percentage: Decimal
    isde_minimum_measures: int
    zero_interest_income_limit: Decimal
    loan_minimum: Decimal
    loan_maximum: Decimal
    decision_term_days: int
    grant_validity_months: int = 12

    def as_record(self) -> dict[str, str]:
        return _record(self)


@dataclass(frozen=True)
class DiyRateValues:
    valid_from: datetime.date
    measure: str
    rate_per_m2: Decimal
    max_area_m2: Decimal
    min_rd: Decimal

    def as_record(self) -> dict[str, str]:
        return _record(self)


@dataclass(frozen=True)
class MeasureCostValues:
    valid_from: datetime.date
    measure: str
    cost_minimum: Decimal
    cost_maximum: Decimal
    yearly_savings_minimum: Decimal
    yearly_savings_maximum: Decimal

    def as_record(self) -> dict[str, str]:
        return _record(self)


def _valid_on(queryset, on_date: datetime.date, what: str):
    row = queryset.filter(valid_from__lte=on_date).order_by("-valid_from").first()
    if row is None:
        raise NoParametersOnDate(what, on_date)
    return row


def norm_on(household_type: str, on_date: datetime.date) -> Norm:
    """The social-minimum norm for the household type (single parent: the single norm) on the date."""
    row = _valid_on(SocialMinimumNorm.objects.filter(category=NORM_CATEGORY[household_type]), on_date,
                    _("social-minimum norms"))
    return Norm(valid_from=row.valid_from, category=row.category, amount=row.amount,
                holiday_allowance_percentage=row.holiday_allowance_percentage)


def rule_set_model_on(programme, on_date: datetime.date):
    return _valid_on(RuleSet.objects.filter(programme=programme), on_date, _("programme rules"))


def rule_set_values(row) -> RuleSetValues:
    return RuleSetValues(**{name: getattr(row, name) for name in RuleSetValues.__dataclass_fields__})


def rule_set_on(programme, on_date: datetime.date) -> RuleSetValues:
    """The programme's rule set valid on the date."""
    return rule_set_values(rule_set_model_on(programme, on_date))


def diy_rate_on(programme, measure: str, on_date: datetime.date) -> DiyRateValues:
    row = _valid_on(DiyRate.objects.filter(programme=programme, measure=measure), on_date, _("DIY rates"))
    return DiyRateValues(valid_from=row.valid_from, measure=row.measure, rate_per_m2=row.rate_per_m2,
                         max_area_m2=row.max_area_m2, min_rd=row.min_rd)


def measure_costs_on(programme, measure: str, on_date: datetime.date) -> MeasureCostValues | None:
    """The indicative cost range of a contractor's measure, or None when the measure has none."""
    queryset = LargeMeasureCost.objects.filter(programme=programme, measure=measure)
    if not queryset.exists():
        return None
    row = _valid_on(queryset, on_date, _("indicative costs"))
    return MeasureCostValues(valid_from=row.valid_from, measure=row.measure, cost_minimum=row.cost_minimum,
                             cost_maximum=row.cost_maximum, yearly_savings_minimum=row.yearly_savings_minimum,
                             yearly_savings_maximum=row.yearly_savings_maximum)
