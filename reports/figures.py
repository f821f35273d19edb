"""The programme report's figures (docs/reports.md): what the council, the funder and finance ask, for one
programme and a date range, from the other apps' selectors and pandas over querysets (no Python loops over rows).

`programme_figures(programme, starts_on, ends_on)` returns a `ProgrammeFigures`: plain values, ready to show on
the page, to write in the PDF and the xlsx, and to assert in tests. Amounts are Decimal in euros (to the cent);
shares and percentages are computed by the templates from the counts. Read on the replica when there is one
(`config.routers.reports_on_replica`).

The period: a household counts as reached when it was reached (`Household.reached_at`) within the range; visits
when done within it; packages when installed within it; applications when submitted within it (approved and paid
as they stand now); lead times of the applications decided within it; budget burn up to the range's end.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Count:
    """One bar of a chart: a stored value, its label as shown, and how many."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Reach:
    households: int  # reached in the period
    target: int  # the programme's target (Programme.target_households)
    reached_to_date: int  # reached from the programme's start up to the period's end, against the target
    by_referral_source: list[Count]
    by_tenure: list[Count]
    by_postcode_area: list[Count]  # postcode-4 ("1211"), most first


@dataclass(frozen=True)
class Visits:
    by_kind: list[Count]  # intake, installation, evaluation: done in the period
    planned: int  # planned in the period, not yet done


@dataclass(frozen=True)
class Packages:
    dwellings: int  # dwellings with a package installed in the period
    value: Decimal  # what those packages installed, in euros
    average_per_dwelling: Decimal | None  # None when no dwelling
    limit: Decimal  # the rule set's products limit per dwelling (€ 330)
    bands: list[Count]  # value per dwelling in bands of € 50 ("0–50", …, "450+"), every band shown
    above_limit: int  # dwellings above the limit (overrides)


@dataclass(frozen=True)
class MeasureRow:
    measure: str  # eligibility.codes.LargeMeasure value
    label: str
    route: str  # subsidy Route value ("diy", "contractor")
    route_label: str
    approved: int  # approved (granted) applications, paid or not
    granted: Decimal  # their granted amounts
    paid: int
    paid_amount: Decimal


@dataclass(frozen=True)
class LargeMeasures:
    rows: list[MeasureRow]  # one per measure and route that occurs
    submitted: int
    approved: int
    granted: Decimal
    paid: int
    paid_amount: Decimal
    average_grant: Decimal | None
    assumed_average: Decimal  # € 3,000: what the budget assumed (DOMAIN.md, targets)
    target: int  # Programme.target_large_measures


@dataclass(frozen=True)
class LeadTimes:
    decided: int  # decided in the period
    median_days: Decimal | None  # from submission to decision, in calendar days
    p90_days: Decimal | None
    overdue: int  # open now and past their decision date
    suspended_applications: int  # of those decided, suspended at some time
    suspended_days: int  # their days suspended, together


@dataclass(frozen=True)
class SavingRow:
    measure: str
    label: str
    count: int  # large measures approved in the period
    yearly_low: Decimal  # count × the table's "from"
    yearly_high: Decimal  # count × the table's "to"


@dataclass(frozen=True)
class Savings:
    rows: list[SavingRow]
    yearly_low: Decimal
    yearly_high: Decimal
    source: str  # the indicative table named as the source (DOMAIN.md: reports use the table, and say so)


@dataclass(frozen=True)
class LineBurn:
    line_id: int
    name: str
    allocated: Decimal
    committed: Decimal  # standing at the period's end
    spent: Decimal  # up to the period's end
    planned: Decimal  # what the plan had spent by the period's end (allocated × share of the programme elapsed)
    months: list[tuple[datetime.date, Decimal, Decimal]] = field(default_factory=list)  # (month, spent, planned)


@dataclass(frozen=True)
class ProgrammeFigures:
    programme_id: int
    programme_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    reach: Reach
    visits: Visits
    packages: Packages
    large_measures: LargeMeasures
    lead_times: LeadTimes
    savings: Savings
    budget: list[LineBurn]


def programme_figures(programme, starts_on: datetime.date, ends_on: datetime.date) -> ProgrammeFigures:
    raise NotImplementedError("reports.figures: being written")
