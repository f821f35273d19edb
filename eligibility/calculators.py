"""Calculators for the large measure: DIY grant, contractor grant, financing plan (pure, no database).

DIY grant (zelfwerkzaamheid, DOMAIN.md "Large measure: DIY route"):
    grant = area × cutting-loss factor × rate(measure) + area × finishing rate,
    with the area capped at the measure's maximum area, rounded half-up to the cent once at the end,
    then capped at the programme's maximum large grant. Every step is returned as a line.
Contractor grant: the quoted amount, at most the maximum; a warning when the quote lies outside the
    indicative cost range of the measure.
Financing plan (two or more measures; DOMAIN.md "The application"): ISDE share of the total cost,
    the municipal grant for one measure (at most the maximum), a Warmtefonds energy-saving loan for
    the rest (within its minimum and maximum), paid back as a monthly annuity; at 0% interest when
    the yearly household income is at or below the Warmtefonds limit.
Money is Decimal from strings, never float; the monthly rate (1 + yearly)^(1/12) − 1 is computed
in Decimal too.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.errors import Refused
from budget.money import euro, to_cents
from eligibility.parameters import DiyRateValues, MeasureCostValues, RuleSetValues

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal

    def as_record(self) -> dict[str, str]:
        return {"label": self.label, "amount": str(self.amount)}


def _number(value: Decimal) -> str:
    """70 → '70', 70.5 → '70,5' (Dutch), without trailing zeros."""
    text = f"{value.normalize():f}"
    return number_format(Decimal(text), decimal_pos=max(0, -Decimal(text).as_tuple().exponent))


# --- DIY ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiyGrant:
    measure: str
    area_m2: Decimal
    area_used_m2: Decimal
    grant: Decimal
    lines: tuple[Line, ...]
    notes: tuple[str, ...]
    parameters: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


def diy_grant(area_m2: Decimal, rate: DiyRateValues, params: RuleSetValues) -> DiyGrant:
    if area_m2 < 0:
        raise ValueError("the area cannot be negative")
    notes = []
    area = area_m2
    if area > rate.max_area_m2:
        area = rate.max_area_m2
        notes.append(_("The area of %(area)s m² is more than the maximum of %(max)s m² for this measure; the "
                       "grant is computed on %(max)s m².") % {"area": _number(area_m2), "max": _number(area)})
    insulation = area * params.diy_cutting_loss_factor * rate.rate_per_m2
    finishing = area * params.diy_finishing_rate
    computed = to_cents(insulation + finishing)
    values = {"area": _number(area), "factor": _number(params.diy_cutting_loss_factor),
              "rate": euro(rate.rate_per_m2), "finishing": euro(params.diy_finishing_rate)}
    lines = [
        Line(_("Insulation material: %(area)s m² × %(factor)s (cutting loss) × %(rate)s per m²") % values,
             to_cents(insulation)),
        Line(_("Finishing: %(area)s m² × %(finishing)s per m²") % values, to_cents(finishing)),
        Line(_("Total"), computed),
    ]
    grant = computed
    if computed > params.max_large_grant:
        grant = params.max_large_grant
        notes.append(_("The computed amount of %(amount)s is above the maximum grant of %(max)s; the grant is the "
                       "maximum.") % {"amount": euro(computed), "max": euro(params.max_large_grant)})
        lines.append(Line(_("Grant (at most the maximum)"), grant))
    notes.append(_("The insulation must reach a thermal resistance Rd of at least %(rd)s m²K/W. Large tools "
                   "are not covered. A handyman checks the area.") % {"rd": _number(rate.min_rd)})
    parameters = {
        "rate_valid_from": rate.valid_from.isoformat(), "rate_per_m2": str(rate.rate_per_m2),
        "max_area_m2": str(rate.max_area_m2), "min_rd": str(rate.min_rd),
        "rule_set_version": params.version, "diy_cutting_loss_factor": str(params.diy_cutting_loss_factor),
        "diy_finishing_rate": str(params.diy_finishing_rate), "max_large_grant": str(params.max_large_grant),
    }
    return DiyGrant(measure=rate.measure, area_m2=area_m2, area_used_m2=area, grant=grant, lines=tuple(lines),
                    notes=tuple(notes), parameters=parameters)


# --- Contractor --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractorGrant:
    quote: Decimal
    grant: Decimal
    notes: tuple[str, ...]
    warnings: tuple[str, ...]


def contractor_grant(quote: Decimal, costs: MeasureCostValues | None, params: RuleSetValues) -> ContractorGrant:
    if quote < 0:
        raise ValueError("a quote cannot be negative")
    quote = to_cents(quote)
    notes, warnings = [], []
    grant = quote
    if quote > params.max_large_grant:
        grant = params.max_large_grant
        notes.append(_("The quote of %(quote)s is above the maximum grant of %(max)s; the grant is the maximum.")
                     % {"quote": euro(quote), "max": euro(params.max_large_grant)})
    if costs is not None and not costs.cost_minimum <= quote <= costs.cost_maximum:
        warnings.append(_("The quote of %(quote)s is outside the indicative range of %(low)s to %(high)s for "
                          "this measure: check that it is complete and plausible.")
                        % {"quote": euro(quote), "low": euro(costs.cost_minimum), "high": euro(costs.cost_maximum)})
    return ContractorGrant(quote=quote, grant=grant, notes=tuple(notes), warnings=tuple(warnings))


# --- Financing ---------------------------------------------------------------------------------


class InterestRateNeeded(Refused, ValueError):
    """The income is above the 0%-interest limit, so the loan's yearly interest rate must be given."""

    field = "yearly_interest_rate"


@dataclass(frozen=True)
class MeasureCost:
    measure: str
    cost: Decimal


@dataclass(frozen=True)
class FinancingPlan:
    total_cost: Decimal
    isde: Decimal
    municipal_grant: Decimal
    loan: Decimal
    own_contribution: Decimal
    interest_rate: Decimal
    loan_years: int
    monthly_payment: Decimal
    notes: tuple[str, ...]
    parameters: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


def monthly_rate(yearly_rate: Decimal) -> Decimal:
    """The monthly rate equivalent to a yearly rate: (1 + yearly)^(1/12) − 1, in Decimal."""
    with localcontext() as context:
        context.prec = 34
        return (Decimal(1) + yearly_rate) ** (Decimal(1) / Decimal(12)) - Decimal(1)


def monthly_annuity(principal: Decimal, yearly_rate: Decimal, years: int) -> Decimal:
    """The fixed monthly payment that repays `principal` over `years`; at 0% it is principal ÷ months."""
    if years <= 0:
        raise ValueError("the term must be at least one year")
    months = years * 12
    if principal <= 0:
        return ZERO
    if yearly_rate == 0:
        return to_cents(principal / months)
    with localcontext() as context:
        context.prec = 34
        rate = monthly_rate(yearly_rate)
        payment = principal * rate / (Decimal(1) - (Decimal(1) + rate) ** -months)
    return to_cents(payment)


def financing_plan(measures: Sequence[MeasureCost], *, yearly_income: Decimal, loan_years: int,
                   yearly_interest_rate: Decimal | None, params: RuleSetValues) -> FinancingPlan:
    if not measures:
        raise ValueError("a financing plan needs at least one measure")
    if any(item.cost < 0 for item in measures) or yearly_income < 0:
        raise ValueError("costs and income cannot be negative")
    notes = []
    total = to_cents(sum((item.cost for item in measures), ZERO))

    if len(measures) >= params.isde_minimum_measures:
        isde = to_cents(total * params.isde_percentage / Decimal(100))
    else:
        isde = ZERO
        notes.append(_("The national ISDE subsidy is only counted with %(n)d or more measures.")
                     % {"n": params.isde_minimum_measures})

    largest = max(measures, key=lambda item: item.cost)
    municipal_grant = min(to_cents(largest.cost), params.max_large_grant, total - isde)
    notes.append(_("The municipal grant covers one measure (the most expensive), at most %(max)s.")
                 % {"max": euro(params.max_large_grant)})

    rest = total - isde - municipal_grant
    loan = rest
    if rest > 0 and rest < params.loan_minimum:
        loan = ZERO
        notes.append(_("The remaining %(rest)s is below the Warmtefonds loan minimum of %(min)s: it is paid from "
                       "own means.") % {"rest": euro(rest), "min": euro(params.loan_minimum)})
    elif rest > params.loan_maximum:
        loan = params.loan_maximum
        notes.append(_("The loan is at most %(max)s; the remaining %(own)s is paid from own means.")
                     % {"max": euro(params.loan_maximum), "own": euro(rest - loan)})
    own_contribution = rest - loan

    if yearly_income <= params.zero_interest_income_limit:
        interest = Decimal("0.00")
        notes.append(_("Yearly household income %(income)s is at or below %(limit)s: the loan is at 0%% interest.")
                     % {"income": euro(yearly_income), "limit": euro(params.zero_interest_income_limit)})
    elif yearly_interest_rate is None:
        raise InterestRateNeeded(_("The income is above the 0%% interest limit of %(limit)s: give the yearly "
                                   "interest rate of the loan.") % {"limit": euro(params.zero_interest_income_limit)})
    else:
        interest = yearly_interest_rate
    payment = monthly_annuity(loan, interest, loan_years)

    parameters = {
        "rule_set_version": params.version, "isde_percentage": str(params.isde_percentage),
        "isde_minimum_measures": str(params.isde_minimum_measures), "max_large_grant": str(params.max_large_grant),
        "zero_interest_income_limit": str(params.zero_interest_income_limit),
        "loan_minimum": str(params.loan_minimum), "loan_maximum": str(params.loan_maximum),
    }
    return FinancingPlan(total_cost=total, isde=isde, municipal_grant=municipal_grant, loan=to_cents(loan),
                         own_contribution=to_cents(own_contribution), interest_rate=interest, loan_years=loan_years,
                         monthly_payment=payment, notes=tuple(notes), parameters=parameters)
