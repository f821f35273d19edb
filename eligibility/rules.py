"""Who qualifies for what, and why: pure rule functions on dated parameters (no database).

Follows the Hilversum plan "Aanpak energiearmoede" (2022), see DOMAIN.md, "The offer":
- target group: net household income up to a percentage (130%) of the statutory social-minimum
  norm for the household type, *and* a dwelling with energy label C or worse;
- small and medium measures: every household in the target group, tenant or owner;
- large measure: additionally the owner-occupier, and one large measure per dwelling.

Each rule returns a `Verdict`: passed (True), failed (False) or undecided (None, e.g. the label is
not known yet), with a reason an applicant can read and the parameter values it used. `assess()`
combines them per tier. The worked examples of the regulation are in tests/eligibility/, not here.

Who may *assess* a household (a django-rules permission) is not here but with the household, in
`households.rules` (`households.assess_eligibility`): this module stays pure.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from budget.money import euro, to_cents
from eligibility.codes import LABEL_SCALE, NORM_CATEGORY, EnergyLabel, Status, Tenure, Tier
from eligibility.parameters import Norm, RuleSetValues

INCOME = "income"
ENERGY_LABEL = "energy_label"
OWNER_OCCUPIER = "owner_occupier"
ONE_LARGE_MEASURE = "one_large_measure"


@dataclass(frozen=True)
class Verdict:
    rule: str
    passed: bool | None  # None: cannot be decided yet
    reason: str
    parameters: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def as_record(self) -> dict:
        return {"rule": self.rule, "passed": self.passed, "reason": self.reason, "parameters": self.parameters}


@dataclass(frozen=True)
class Circumstances:
    """What the rules need to know about a household and its dwelling."""

    household_type: str
    net_monthly_income: Decimal | None
    energy_allowance_received: bool = False
    energy_label: str = EnergyLabel.UNKNOWN
    tenure: str | None = None
    # Large measures already granted for this dwelling in the programme. Counted by the caller:
    # the subsidy app, where applications live, does not exist yet, so callers pass 0 for now.
    large_measures_taken: int = 0

    def __post_init__(self):
        if self.household_type not in NORM_CATEGORY:
            raise ValueError(f"unknown household type {self.household_type!r}")
        if self.net_monthly_income is not None and self.net_monthly_income < 0:
            raise ValueError("income cannot be negative")
        if self.energy_label not in (*LABEL_SCALE, EnergyLabel.UNKNOWN, None, ""):
            raise ValueError(f"unknown energy label {self.energy_label!r}")

    def as_record(self) -> dict:
        return {
            "household_type": str(self.household_type),
            "net_monthly_income": None if self.net_monthly_income is None else str(self.net_monthly_income),
            "energy_allowance_received": self.energy_allowance_received,
            "energy_label": str(self.energy_label or EnergyLabel.UNKNOWN),
            "tenure": None if self.tenure is None else str(self.tenure),
            "large_measures_taken": self.large_measures_taken,
        }


@dataclass(frozen=True)
class TierResult:
    tier: str
    status: str
    verdicts: tuple[Verdict, ...]
    max_grant: Decimal | None = None

    @property
    def reasons(self) -> list[str]:
        return [verdict.reason for verdict in self.verdicts]


@dataclass(frozen=True)
class Eligibility:
    income_limit: Decimal
    tiers: tuple[TierResult, ...]
    parameters: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def tier(self, tier: str) -> TierResult:
        return next(result for result in self.tiers if result.tier == tier)


# --- Income -----------------------------------------------------------------------------------


def norm_basis(norm: Norm, params: RuleSetValues) -> Decimal:
    """The norm the percentage applies to: with holiday allowance, or without it (e.g. 0.95 × the
    published amount, rounded half-up to the cent; not ÷ 1.05)."""
    if params.norm_includes_holiday_allowance:
        return norm.amount
    return to_cents(norm.amount * (Decimal(100) - norm.holiday_allowance_percentage) / Decimal(100))


def income_limit(norm: Norm, params: RuleSetValues) -> Decimal:
    """The highest net monthly income that qualifies: percentage × norm, half-up to the cent."""
    return to_cents(norm_basis(norm, params) * params.income_percentage / Decimal(100))


def income_within_limit(net_monthly_income: Decimal | None, *, energy_allowance_received: bool,
                        norm: Norm, params: RuleSetValues) -> Verdict:
    limit = income_limit(norm, params)
    used = {
        "income_limit": str(limit),
        "income_percentage": str(params.income_percentage),
        "norm_category": norm.category,
        "norm_valid_from": norm.valid_from.isoformat(),
        "norm_amount": str(norm.amount),
        "norm_includes_holiday_allowance": str(params.norm_includes_holiday_allowance),
        "norm_basis": str(norm_basis(norm, params)),
    }
    if energy_allowance_received:
        return Verdict(INCOME, True, _(
            "The letter showing that the energy allowance was paid is accepted as proof of income; "
            "no income amount is needed."), used)
    if net_monthly_income is None:
        return Verdict(INCOME, None, _(
            "The net monthly income is not known yet: it is needed (or the letter showing that the "
            "energy allowance was paid) to decide. The limit is %(limit)s.") % {"limit": euro(limit)}, used)
    used["net_monthly_income"] = str(net_monthly_income)
    values = {"income": euro(net_monthly_income), "limit": euro(limit),
              "percentage": _percent(params.income_percentage)}
    if net_monthly_income <= limit:
        return Verdict(INCOME, True, _(
            "Net monthly income %(income)s is within the limit of %(limit)s (%(percentage)s of the "
            "social minimum).") % values, used)
    return Verdict(INCOME, False, _(
        "Net monthly income %(income)s is above the limit of %(limit)s (%(percentage)s of the social "
        "minimum).") % values, used)


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


# --- Dwelling -----------------------------------------------------------------------------------


def label_qualifies(energy_label: str | None, params: RuleSetValues) -> Verdict:
    """Label C or worse qualifies (the worst label that does not is a parameter); unknown is undecided."""
    worst_excluded = params.worst_non_qualifying_label
    best_included = LABEL_SCALE[LABEL_SCALE.index(worst_excluded) + 1]
    used = {"worst_non_qualifying_label": worst_excluded, "energy_label": str(energy_label or EnergyLabel.UNKNOWN)}
    if not energy_label or energy_label == EnergyLabel.UNKNOWN:
        return Verdict(ENERGY_LABEL, None, _(
            "The energy label is not known: to be determined by the handyman at the intake visit."), used)
    values = {"label": energy_label, "first": best_included}
    if LABEL_SCALE.index(energy_label) > LABEL_SCALE.index(worst_excluded):
        return Verdict(ENERGY_LABEL, True, _(
            "Energy label %(label)s qualifies: the programme helps homes with label %(first)s or worse.") % values,
            used)
    return Verdict(ENERGY_LABEL, False, _(
        "Energy label %(label)s does not qualify: the programme helps homes with label %(first)s or worse.")
        % values, used)


def owner_occupier(tenure: str | None, params: RuleSetValues) -> Verdict:
    used = {"large_requires_owner_occupier": str(params.large_requires_owner_occupier),
            "tenure": "" if tenure is None else str(tenure)}
    if not params.large_requires_owner_occupier:
        return Verdict(OWNER_OCCUPIER, True, _("In this programme the large measure is open to tenants too."), used)
    if not tenure:
        return Verdict(OWNER_OCCUPIER, None, _(
            "It is not recorded yet whether the household owns or rents the home."), used)
    if tenure == Tenure.OWNER_OCCUPIER:
        return Verdict(OWNER_OCCUPIER, True, _("The household owns and lives in the home."), used)
    return Verdict(OWNER_OCCUPIER, False, _(
        "Only owner-occupiers can get the large measure; tenants can get small and medium measures."), used)


def one_large_measure(large_measures_taken: int, params: RuleSetValues) -> Verdict:
    """At most `large_measures_per_dwelling` (1) large measure per dwelling within the programme."""
    allowed = params.large_measures_per_dwelling
    used = {"large_measures_per_dwelling": str(allowed), "large_measures_taken": str(large_measures_taken)}
    if large_measures_taken < allowed:
        return Verdict(ONE_LARGE_MEASURE, True, _(
            "No large measure has been granted for this home in the programme yet."), used)
    return Verdict(ONE_LARGE_MEASURE, False, ngettext(
        "This home already had its large measure in the programme (at most %(n)d per home).",
        "This home already had its large measures in the programme (at most %(n)d per home).",
        allowed) % {"n": allowed}, used)


# --- Per tier -----------------------------------------------------------------------------------


def tier_status(verdicts) -> str:
    """Not eligible when a rule failed; otherwise undecided when a rule could not be decided yet."""
    if any(verdict.passed is False for verdict in verdicts):
        return Status.NOT_ELIGIBLE
    if any(verdict.passed is None for verdict in verdicts):
        return Status.UNDECIDED
    return Status.ELIGIBLE


def assess(circumstances: Circumstances, norm: Norm, params: RuleSetValues) -> Eligibility:
    """The result per tier (small, medium, large), each with the verdicts behind it."""
    income = income_within_limit(circumstances.net_monthly_income,
                                 energy_allowance_received=circumstances.energy_allowance_received,
                                 norm=norm, params=params)
    label = label_qualifies(circumstances.energy_label, params)
    target_group = (income, label)
    large = (*target_group, owner_occupier(circumstances.tenure, params),
             one_large_measure(circumstances.large_measures_taken, params))
    tiers = (
        TierResult(Tier.SMALL, tier_status(target_group), target_group),
        TierResult(Tier.MEDIUM, tier_status(target_group), target_group),
        TierResult(Tier.LARGE, tier_status(large), large, max_grant=params.max_large_grant),
    )
    return Eligibility(income_limit=income_limit(norm, params), tiers=tiers,
                       parameters=parameters_used(norm, params))


def parameters_used(norm: Norm, params: RuleSetValues) -> dict[str, str]:
    return {
        "rule_set_version": params.version,
        "rule_set_valid_from": params.valid_from.isoformat(),
        "income_percentage": str(params.income_percentage),
        "norm_includes_holiday_allowance": str(params.norm_includes_holiday_allowance).lower(),
        "norm_category": norm.category,
        "norm_valid_from": norm.valid_from.isoformat(),
        "norm_amount": str(norm.amount),
        "holiday_allowance_percentage": str(norm.holiday_allowance_percentage),
        "norm_basis": str(norm_basis(norm, params)),
        "income_limit": str(income_limit(norm, params)),
        "worst_non_qualifying_label": params.worst_non_qualifying_label,
        "large_requires_owner_occupier": str(params.large_requires_owner_occupier).lower(),
        "large_measures_per_dwelling": str(params.large_measures_per_dwelling),
        "max_large_grant": str(params.max_large_grant),
        "products_limit_per_dwelling": str(params.products_limit_per_dwelling),
    }

