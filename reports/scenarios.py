"""Scenarios ("wat als"): the current register assessed again with other rule values, without changing any rule.

A scenario changes up to three values of the programme's rule set in force today (eligibility.RuleSet):
- the income percentage (130% of the social-minimum norm → e.g. 150%),
- the label threshold: the worst label that does *not* qualify (B: "C or worse" → C: "D or worse"),
- the maximum large grant (€ 5,000 → e.g. € 7,000).
Everything else (norms, holiday allowance, the energy-allowance letter as proof, unknown income or label,
owner-occupiers only, one large measure per dwelling) stays as it is in force.

The register: the programme's households that are registered or active (closed households are left out: the
programme no longer works with them). Each is assessed per tier exactly as `eligibility.rules.assess` would, on
what the register holds: its household type, net monthly income, energy-allowance letter, its dwelling's label
and tenure, and the large measures granted for it (applications approved, in payout or paid; as
`subsidy.services.large_measures_granted` counts them).

One pass: one query reads those few columns of every household (a second, grouped one the large measures
granted); pandas decides each rule for all of them at once (the income limit per norm category through
`eligibility.rules.income_limit`: four calls, not one per household). Incomes and limits are compared as whole
cents (integers), never as floats. 100,000 households (84,934 registered or active) take 1.2 s on PostgreSQL
(`python -m bench.scenarios`).

The budget effect (docs/reports.md, "Scenarios"), against what the lines still have available:
- products line: households newly in the small/medium tiers × the expected package value: the average
  installed per dwelling equipped so far (the programme's default spend per dwelling before any), at most the
  limit per dwelling. Households that would drop out keep what they were given: no saving is assumed.
- grants line: households newly eligible for the large measure × the expected take-up × the average grant so
  far (the programme's default average before any grant), plus, for a higher maximum, what applications still
  awaiting a decision or approved (not yet in payout) would get more because their quote or DIY calculation
  was above the maximum in force.
"""

import datetime
import time
from dataclasses import asdict, dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import BigIntegerField, Count, F
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record_event
from accounts.errors import Refused
from accounts.roles import ensure_may
from accounts.text import entered_text
from budget.models import BudgetLine
from budget.money import euro, to_cents
from budget.selectors import average_grant, budget_lines
from eligibility.codes import LABEL_SCALE, NORM_CATEGORY, HouseholdType, NormCategory, Status, Tenure, Tier
from eligibility.parameters import Norm, RuleSetValues, norm_on, rule_set_on
from eligibility.rules import income_limit
from households.models import Household
from reports.models import Scenario
from subsidy.models import Application, Package
from subsidy.selectors import installed_value

# What people may ask: outside these a value is a typing mistake, never a scenario (0% or 1000% is refused).
PERCENTAGE_MINIMUM, PERCENTAGE_MAXIMUM = Decimal("50"), Decimal("300")
MAX_GRANT_MINIMUM, MAX_GRANT_MAXIMUM = Decimal("500.00"), Decimal("50000.00")
TAKE_UP_MINIMUM, TAKE_UP_MAXIMUM = Decimal("1"), Decimal("100")

# The households a scenario counts: those the programme works with or will (not the closed ones).
REGISTER_STATUSES = (Household.Status.REGISTERED, Household.Status.ACTIVE)
# Applications whose grant a higher maximum would still change: not yet decided, or approved without a payout
# request (from the payout request on, the grant is fixed by the invoice).
OPEN_OR_APPROVED = (*Application.AWAITING_DECISION, Application.Status.APPROVED)
TIERS = (Tier.SMALL, Tier.MEDIUM, Tier.LARGE)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")

# A rule's outcome for every household at once: failed, undecided, passed. A tier's status is the lowest of its
# rules (a failed rule makes it not eligible; otherwise an undecided one makes it undecided), as
# `eligibility.rules.tier_status` decides.
FAILED, UNDECIDED, PASSED = 0, 1, 2
STATUS_OF_CODE = {FAILED: Status.NOT_ELIGIBLE, UNDECIDED: Status.UNDECIDED, PASSED: Status.ELIGIBLE}
LABEL_INDEX = {label: index for index, label in enumerate(LABEL_SCALE)}

# The register's columns, as `register_frame` reads them.
COLUMNS = ["household_type", "income_cents", "energy_allowance", "energy_label", "tenure", "large_measures_taken"]


# --- What a scenario changes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioValues:
    """The rule values a scenario uses instead of those in force; `take_up` (%) None: the take-up so far."""

    income_percentage: Decimal
    worst_non_qualifying_label: str
    max_large_grant: Decimal
    take_up: Decimal | None = None

    def __post_init__(self):
        if not PERCENTAGE_MINIMUM <= self.income_percentage <= PERCENTAGE_MAXIMUM:
            raise Refused(_("Give an income percentage from %(low)s to %(high)s.") % {
                "low": PERCENTAGE_MINIMUM, "high": PERCENTAGE_MAXIMUM}, field="income_percentage")
        if self.worst_non_qualifying_label not in LABEL_SCALE[:-1]:
            raise Refused(_("Choose the first energy label that qualifies."), field="label_from")
        if not MAX_GRANT_MINIMUM <= self.max_large_grant <= MAX_GRANT_MAXIMUM:
            raise Refused(_("Give a maximum grant from %(low)s to %(high)s.") % {
                "low": euro(MAX_GRANT_MINIMUM), "high": euro(MAX_GRANT_MAXIMUM)}, field="max_large_grant")
        if self.take_up is not None and not TAKE_UP_MINIMUM <= self.take_up <= TAKE_UP_MAXIMUM:
            raise Refused(_("Give a take-up from %(low)s to %(high)s percent, or leave it empty.") % {
                "low": TAKE_UP_MINIMUM, "high": TAKE_UP_MAXIMUM}, field="take_up")

    @classmethod
    def in_force(cls, rules: RuleSetValues) -> "ScenarioValues":
        return cls(income_percentage=rules.income_percentage,
                   worst_non_qualifying_label=rules.worst_non_qualifying_label, max_large_grant=rules.max_large_grant)

    def applied_to(self, rules: RuleSetValues) -> RuleSetValues:
        """The rule set in force with this scenario's values (nothing is stored)."""
        return replace(rules, income_percentage=self.income_percentage,
                       worst_non_qualifying_label=self.worst_non_qualifying_label,
                       max_large_grant=self.max_large_grant)

    def as_record(self) -> dict[str, str | None]:
        return {"income_percentage": str(self.income_percentage),
                "worst_non_qualifying_label": self.worst_non_qualifying_label,
                "max_large_grant": str(self.max_large_grant),
                "take_up": None if self.take_up is None else str(self.take_up)}

    @classmethod
    def from_record(cls, record: dict) -> "ScenarioValues":
        return cls(income_percentage=Decimal(record["income_percentage"]),
                   worst_non_qualifying_label=record["worst_non_qualifying_label"],
                   max_large_grant=Decimal(record["max_large_grant"]),
                   take_up=None if record.get("take_up") in (None, "") else Decimal(record["take_up"]))


def first_qualifying_label(worst_non_qualifying_label: str) -> str:
    """B → C: the label threshold as people say it ("C or worse")."""
    return LABEL_SCALE[LABEL_SCALE.index(worst_non_qualifying_label) + 1]


def worst_non_qualifying(first_qualifying_label: str) -> str:
    """C → B: the rule set's way of saying "C or worse"."""
    return LABEL_SCALE[LABEL_SCALE.index(first_qualifying_label) - 1]


# --- The register, assessed in one pass -----------------------------------------------------------------------


def register_frame(programme) -> pd.DataFrame:
    """The register's households, one row each, with only what the rules read.

    One query reads the households (the income in whole cents, rounded in the database: SQLite keeps decimals as
    binary floats); a second counts the large measures granted per household, grouped in the database (one row
    per household that has one; a subquery per household cost a second and a half at 100,000).
    """
    rows = (Household.objects.filter(programme=programme, status__in=REGISTER_STATUSES).order_by()
            .annotate(income_cents=Cast(Round(F("net_monthly_income") * 100), BigIntegerField()))
            .values_list("pk", "household_type", "income_cents", "energy_allowance", "dwelling__energy_label",
                         "dwelling__tenure"))
    frame = pd.DataFrame.from_records(list(rows), columns=["pk", *COLUMNS[:-1]])
    granted = dict(Application.objects.filter(programme=programme, status__in=Application.GRANTED).order_by()
                   .values("household").annotate(number=Count("pk")).values_list("household", "number"))
    frame["large_measures_taken"] = frame["pk"].map(granted).fillna(0).astype("int64")
    return frame.drop(columns="pk")


def norms_on(on_date: datetime.date) -> dict[str, Norm]:
    """The social-minimum norm of each norm category on the date (four queries, whatever the register's size)."""
    household_type_of = {NORM_CATEGORY[household_type]: household_type for household_type in HouseholdType}
    return {category: norm_on(household_type_of[category], on_date) for category in NormCategory}


def assess_frame(frame: pd.DataFrame, norms: dict[str, Norm], rules: RuleSetValues) -> pd.DataFrame:
    """Each household's status per tier (Status values), as `eligibility.rules.assess` gives it, for all at once.

    `frame` holds the register's columns (COLUMNS); `norms` the norm per category on the reference date.
    """
    limit_cents = {category: int(income_limit(norm, rules) * 100) for category, norm in norms.items()}
    category = frame["household_type"].map({str(key): str(value) for key, value in NORM_CATEGORY.items()})
    limit = category.map(limit_cents).to_numpy(dtype="int64")
    income = pd.array(frame["income_cents"], dtype="Int64")
    income_known = ~pd.isna(income)
    within = np.asarray((income <= limit).fillna(False), dtype=bool)
    income_rule = np.select([frame["energy_allowance"].to_numpy() == "yes", ~np.asarray(income_known, dtype=bool),
                             within], [PASSED, UNDECIDED, PASSED], default=FAILED)

    label_index = frame["energy_label"].map(LABEL_INDEX)
    worst = LABEL_INDEX[rules.worst_non_qualifying_label]
    label_rule = np.select([label_index.isna().to_numpy(), (label_index > worst).to_numpy()],
                           [UNDECIDED, PASSED], default=FAILED)

    if rules.large_requires_owner_occupier:
        tenure = frame["tenure"].fillna("").to_numpy()
        owner_rule = np.select([tenure == "", tenure == Tenure.OWNER_OCCUPIER.value], [UNDECIDED, PASSED],
                               default=FAILED)
    else:
        owner_rule = np.full(len(frame), PASSED)
    one_large_rule = np.where(frame["large_measures_taken"].to_numpy(dtype="int64")
                              < rules.large_measures_per_dwelling, PASSED, FAILED)

    target_group = np.minimum(income_rule, label_rule)
    large = np.minimum(target_group, np.minimum(owner_rule, one_large_rule))
    statuses = {Tier.SMALL: target_group, Tier.MEDIUM: target_group, Tier.LARGE: large}
    return pd.DataFrame({str(tier): pd.Series(codes, index=frame.index).map(
        {code: str(status) for code, status in STATUS_OF_CODE.items()}) for tier, codes in statuses.items()})


# --- The results ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierCount:
    tier: str
    eligible_now: int
    eligible_scenario: int
    moved_in: int  # eligible under the scenario, not now
    moved_out: int  # eligible now, not under the scenario
    undecided_now: int
    undecided_scenario: int

    @property
    def difference(self) -> int:
        return self.eligible_scenario - self.eligible_now


@dataclass(frozen=True)
class MovesRow:
    """Who moves, for one household type or one tenure: per tier [moved in, moved out]."""

    key: str
    households: int
    moves: dict[str, list[int]]


@dataclass(frozen=True)
class ProductsEffect:
    newly_qualifying: int  # households newly in the small/medium tiers
    dropping_out: int
    average_so_far: Decimal | None  # installed per dwelling equipped; None before any
    dwellings_equipped: int
    limit: Decimal  # the products limit per dwelling in force
    expected_value: Decimal  # per household: the average so far (or the programme's default), at most the limit
    cost: Decimal
    available: Decimal  # what the products line still has (allocated − committed − spent)
    allocated: Decimal


@dataclass(frozen=True)
class GrantsEffect:
    newly_eligible: int  # households newly eligible for the large measure
    take_up: Decimal  # percent
    take_up_basis: str  # "given", "so_far" or "target"
    expected_grants: Decimal  # newly eligible × take-up, one decimal
    average_grant: Decimal
    average_grant_is_default: bool
    new_grants_cost: Decimal
    max_in_force: Decimal
    max_scenario: Decimal
    applications_above_maximum: int  # open or approved, their quote or DIY calculation above the maximum in force
    extra_on_applications: Decimal
    cost: Decimal
    available: Decimal
    allocated: Decimal


@dataclass(frozen=True)
class ScenarioResult:
    programme_id: int
    reference_date: datetime.date
    rule_set_version: str
    in_force: ScenarioValues
    scenario: ScenarioValues
    households: int
    tiers: list[TierCount]
    by_household_type: list[MovesRow]
    by_tenure: list[MovesRow]
    products: ProductsEffect
    grants: GrantsEffect
    seconds: Decimal = field(default=Decimal("0"), compare=False)

    def tier(self, tier: str) -> TierCount:
        return next(count for count in self.tiers if count.tier == tier)

    def as_record(self) -> dict:
        """JSON for Scenario.results: amounts as strings, exact."""
        record = asdict(self)
        record["reference_date"] = self.reference_date.isoformat()
        record["in_force"] = self.in_force.as_record()
        record["scenario"] = self.scenario.as_record()
        for part in ("products", "grants"):
            record[part] = {key: (str(value) if isinstance(value, Decimal) else value)
                            for key, value in record[part].items()}
        record["seconds"] = str(self.seconds)
        return record

    @classmethod
    def from_record(cls, record: dict) -> "ScenarioResult":
        def amounts(values: dict, kind) -> object:
            decimals = {name for name, spec in kind.__dataclass_fields__.items() if "Decimal" in str(spec.type)}
            return kind(**{key: (Decimal(value) if key in decimals and value is not None else value)
                           for key, value in values.items()})

        return cls(
            programme_id=record["programme_id"],
            reference_date=datetime.date.fromisoformat(record["reference_date"]),
            rule_set_version=record["rule_set_version"],
            in_force=ScenarioValues.from_record(record["in_force"]),
            scenario=ScenarioValues.from_record(record["scenario"]),
            households=record["households"],
            tiers=[TierCount(**tier) for tier in record["tiers"]],
            by_household_type=[MovesRow(**row) for row in record["by_household_type"]],
            by_tenure=[MovesRow(**row) for row in record["by_tenure"]],
            products=amounts(record["products"], ProductsEffect),
            grants=amounts(record["grants"], GrantsEffect),
            seconds=Decimal(record.get("seconds") or "0"),
        )


def _tier_counts(now: pd.DataFrame, scenario: pd.DataFrame) -> list[TierCount]:
    counts = []
    for tier in map(str, TIERS):
        eligible_now, eligible_scenario = now[tier] == Status.ELIGIBLE, scenario[tier] == Status.ELIGIBLE
        counts.append(TierCount(
            tier=tier, eligible_now=int(eligible_now.sum()), eligible_scenario=int(eligible_scenario.sum()),
            moved_in=int((eligible_scenario & ~eligible_now).sum()),
            moved_out=int((eligible_now & ~eligible_scenario).sum()),
            undecided_now=int((now[tier] == Status.UNDECIDED).sum()),
            undecided_scenario=int((scenario[tier] == Status.UNDECIDED).sum())))
    return counts


def _moves_by(frame: pd.DataFrame, now: pd.DataFrame, scenario: pd.DataFrame, column: str, keys) -> list[MovesRow]:
    """Per value of `column` (every key shown, also with nobody): households and per tier [in, out]."""
    moves = pd.DataFrame({"key": frame[column].fillna("")})
    names = []
    for tier in map(str, TIERS):
        eligible_now, eligible_scenario = now[tier] == Status.ELIGIBLE, scenario[tier] == Status.ELIGIBLE
        moves[f"{tier}_in"] = (eligible_scenario & ~eligible_now).astype("int64")
        moves[f"{tier}_out"] = (eligible_now & ~eligible_scenario).astype("int64")
        names += [f"{tier}_in", f"{tier}_out"]
    moves["households"] = 1
    sums = moves.groupby("key")[[*names, "households"]].sum()
    keys = [*map(str, keys), *sorted(set(sums.index) - set(map(str, keys)))]
    rows = []
    for key in keys:
        row = sums.loc[key] if key in sums.index else None
        rows.append(MovesRow(key=key, households=0 if row is None else int(row["households"]), moves={
            tier: [0, 0] if row is None else [int(row[f"{tier}_in"]), int(row[f"{tier}_out"])]
            for tier in map(str, TIERS)}))
    return rows


def _products_effect(programme, rules: RuleSetValues, line: BudgetLine | None, counts: TierCount) -> ProductsEffect:
    installed = installed_value(Package.objects.filter(programme=programme), rules.products_limit_per_dwelling)
    average = installed.average
    expected = min(average if average is not None else programme.default_product_spend_per_dwelling,
                   rules.products_limit_per_dwelling)
    return ProductsEffect(
        newly_qualifying=counts.moved_in, dropping_out=counts.moved_out, average_so_far=average,
        dwellings_equipped=installed.dwellings, limit=rules.products_limit_per_dwelling, expected_value=expected,
        cost=to_cents(counts.moved_in * expected), available=line.available if line else Decimal("0.00"),
        allocated=line.allocated if line else Decimal("0.00"))


def _take_up(given: Decimal | None, programme, large: TierCount, granted_households: int) -> tuple[Decimal, str]:
    """The take-up given; else the share of the households the programme could give a large grant that got one
    so far; before any grant the share the programme's target of large measures assumes of those eligible now."""
    if given is not None:
        return given, "given"
    if granted_households:
        share = Decimal(granted_households) * HUNDRED / (granted_households + large.eligible_now)
        return share.quantize(TENTH, rounding=ROUND_HALF_UP), "so_far"
    if large.eligible_now:
        share = min(HUNDRED, Decimal(programme.target_large_measures) * HUNDRED / large.eligible_now)
        return share.quantize(TENTH, rounding=ROUND_HALF_UP), "target"
    return HUNDRED, "target"


def _applications_above(programme, max_in_force: Decimal, max_scenario: Decimal) -> tuple[int, Decimal]:
    """Open or approved applications whose quote or DIY calculation was above the maximum in force, and what a
    higher maximum would add to their grants together (at most up to the new maximum each)."""
    candidates = (Application.objects.filter(programme=programme, status__in=OPEN_OR_APPROVED).order_by()
                  .annotate(grant_cents=Cast(Coalesce("granted_amount", "requested_grant"), BigIntegerField()))
                  .filter(grant_cents__gte=int(max_in_force * 100))
                  .annotate(quote_cents=Cast("quote_amount", BigIntegerField()),
                            diy_total=KT("calculation__lines__2__amount"))
                  .values_list("route", "quote_cents", "diy_total"))
    frame = pd.DataFrame.from_records(list(candidates), columns=["route", "quote_cents", "diy_total"])
    if frame.empty:
        return 0, Decimal("0.00")
    # The calculation writes each amount as str() of a Decimal rounded to the cent ("2730.00"): its cents.
    diy_cents = pd.to_numeric(frame["diy_total"].fillna("0").str.replace(".", "", regex=False), errors="coerce")
    asked = np.where(frame["route"] == "diy", diy_cents.fillna(0), frame["quote_cents"].fillna(0)).astype("int64")
    old, new = int(max_in_force * 100), int(max_scenario * 100)
    above = asked > old
    extra = int((np.minimum(asked[above], new) - old).clip(min=0).sum()) if new > old else 0
    return int(above.sum()), to_cents(Decimal(extra) / HUNDRED)


def _grants_effect(programme, values: ScenarioValues, in_force: ScenarioValues, line: BudgetLine | None,
                   large: TierCount, granted_households: int) -> GrantsEffect:
    take_up, basis = _take_up(values.take_up, programme, large, granted_households)
    so_far = average_grant(line)
    average = so_far or programme.default_average_grant
    expected = Decimal(large.moved_in) * take_up / HUNDRED
    new_cost = to_cents(expected * average)
    number, extra = _applications_above(programme, in_force.max_large_grant, values.max_large_grant)
    return GrantsEffect(
        newly_eligible=large.moved_in, take_up=take_up, take_up_basis=basis,
        expected_grants=expected.quantize(TENTH, rounding=ROUND_HALF_UP), average_grant=average,
        average_grant_is_default=so_far is None,
        new_grants_cost=new_cost, max_in_force=in_force.max_large_grant, max_scenario=values.max_large_grant,
        applications_above_maximum=number, extra_on_applications=extra, cost=new_cost + extra,
        available=line.available if line else Decimal("0.00"), allocated=line.allocated if line else Decimal("0.00"))


def run_scenario(programme, values: ScenarioValues, *, on_date: datetime.date | None = None) -> ScenarioResult:
    """The register now and under `values`, with the budget effect. Reads only; the number of queries does not
    depend on the register's size. Raises NoParametersOnDate (a Refused) without rules or norms on the date."""
    started = time.perf_counter()
    on_date = on_date or timezone.localdate()
    rules = rule_set_on(programme, on_date)
    norms = norms_on(on_date)
    frame = register_frame(programme)
    in_force = ScenarioValues.in_force(rules)
    now = assess_frame(frame, norms, rules)
    scenario = assess_frame(frame, norms, values.applied_to(rules))
    tiers = _tier_counts(now, scenario)
    lines = {line.kind: line for line in budget_lines(programme).filter(
        kind__in=[BudgetLine.Kind.PRODUCTS, BudgetLine.Kind.GRANTS])}
    small, large = tiers[0], tiers[2]
    granted_households = int((frame["large_measures_taken"] > 0).sum())
    seconds = Decimal(str(round(time.perf_counter() - started, 2)))
    return ScenarioResult(
        programme_id=programme.pk, reference_date=on_date, rule_set_version=rules.version, in_force=in_force,
        scenario=values, households=len(frame), tiers=tiers,
        by_household_type=_moves_by(frame, now, scenario, "household_type", HouseholdType.values),
        by_tenure=_moves_by(frame, now, scenario, "tenure", Tenure.values),
        products=_products_effect(programme, rules, lines.get(BudgetLine.Kind.PRODUCTS), small),
        grants=_grants_effect(programme, values, in_force, lines.get(BudgetLine.Kind.GRANTS), large,
                              granted_households),
        seconds=seconds)


# --- Saving ---------------------------------------------------------------------------------------------------


@transaction.atomic
def save_scenario(programme, values: ScenarioValues, *, name: str, by) -> Scenario:
    """Run the scenario on the register as it is now and store it with its name, values and results."""
    ensure_may(by, "reports.run_scenarios")
    name = entered_text(name, field="name", required=True, message=_("Give the scenario a name to save it."))
    longest = Scenario._meta.get_field("name").max_length
    if len(name) > longest:
        raise Refused(_("The name may be at most %(n)d characters.") % {"n": longest}, field="name")
    result = run_scenario(programme, values)
    scenario = Scenario.objects.create(programme=programme, name=name, parameters=values.as_record(),
                                       results=result.as_record(), created_by=by)
    record_event(scenario, actor=by, action="scenario_saved", note=name, **values.as_record())
    return scenario


def compare_rows(scenarios: list[Scenario]) -> list[ScenarioResult]:
    return [ScenarioResult.from_record(scenario.results) for scenario in scenarios]

