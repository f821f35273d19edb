"""The programme report's figures (docs/reports.md): what the council, the funder and finance ask, for one
programme and a date range, from the other apps' selectors and pandas over querysets (no Python loops over rows).

`programme_figures(programme, starts_on, ends_on)` returns a `ProgrammeFigures`: plain values, ready to show on
the page, to write in the PDF and the xlsx, and to assert in tests. Amounts are Decimal in euros (to the cent);
shares and percentages are computed by the templates from the counts. Read on the replica when there is one
(`config.routers.reports_on_replica`).

The period: a household counts as reached when it was reached (`Household.reached_at`) within the range; visits
when done within it; packages when installed within it; applications when submitted within it (approved and paid
as they stand now); lead times of the applications decided within it; budget burn up to the range's end. Both days
belong to the range, in the programme's time zone. What is overdue is what is open today (of the applications
submitted up to the range's end); the rule set's limit and the indicative savings table are those valid on the
range's end.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Substr
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.errors import Refused
from budget.charts import months_between
from budget.models import LineMonth
from budget.money import to_cents
from budget.selectors import budget_lines, ledger_months
from config.routers import reports_on_replica
from eligibility.codes import LargeMeasure, Tenure
from eligibility.models import LargeMeasureCost
from eligibility.parameters import rule_set_on
from fieldwork.models import Visit
from fieldwork.selectors import start_of
from households.models import Household, ReferralSource
from subsidy.models import Application, Package, Route
from subsidy.selectors import installed_value, overdue_q

ZERO = Decimal("0.00")
DAYS = Decimal("0.1")  # lead times in days, to one decimal (a median of an even number can end in .5)


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
    count: int  # large measures submitted in the period and granted now
    yearly_low: Decimal  # count × the table's "from"
    yearly_high: Decimal  # count × the table's "to"


@dataclass(frozen=True)
class Savings:
    rows: list[SavingRow]
    yearly_low: Decimal
    yearly_high: Decimal
    source: str  # the indicative table named as the source (DOMAIN.md: reports use the table, and say so)
    not_estimated: int = 0  # large measures approved whose measure has no row in the table (facade, attic floor, …)


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



def programme_figures(programme, starts_on: datetime.date, ends_on: datetime.date, *,
                      today: datetime.date | None = None) -> ProgrammeFigures:
    """The programme report's figures for `starts_on` up to and including `ends_on` (docs/reports.md).

    A moment counts when it falls on a day of the range in the programme's time zone (a household reached at 23:30
    on `ends_on` counts, one reached at 00:00 the day after does not). `today` decides what is overdue now
    (default: today). A fixed number of queries, however many households, visits, packages, applications and
    bookings there are.
    """
    if ends_on < starts_on:
        raise Refused(_("The period ends before it starts."), field="ends_on")
    today = today or timezone.localdate()
    period = _Period(starts_on, ends_on)
    with reports_on_replica():
        rules = rule_set_on(programme, ends_on)
        large_measures = _large_measures(programme, period)
        return ProgrammeFigures(
            programme_id=programme.pk, programme_name=programme.name, starts_on=starts_on, ends_on=ends_on,
            reach=_reach(programme, period), visits=_visits(programme, period),
            packages=_packages(programme, period, rules.products_limit_per_dwelling),
            large_measures=large_measures, lead_times=_lead_times(programme, period, today),
            savings=_savings(programme, ends_on, rules.version, large_measures.rows),
            budget=_budget(programme, ends_on))


@dataclass(frozen=True)
class _Period:
    """The range as moments: from the first day's midnight up to (not including) the midnight after the last day."""

    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return start_of(self.starts_on)

    @property
    def end(self) -> datetime.datetime:
        return start_of(self.ends_on + datetime.timedelta(days=1))

    def q(self, moment: str) -> Q:
        """`moment` (a date-time field) falls on a day of the range."""
        return Q(**{f"{moment}__gte": self.start, f"{moment}__lt": self.end})


def _counts(rows, key: str, labels: dict) -> list[Count]:
    """Bars from grouped rows ({key: value, "n": how many}): most first, ties in the order of `labels`, then by key."""
    order = {value: position for position, value in enumerate(labels)}
    bars = [Count(key=row[key] or "", label=str(labels.get(row[key], row[key] or _("Unknown"))), count=row["n"])
            for row in rows]
    return sorted(bars, key=lambda bar: (-bar.count, order.get(bar.key, len(order)), bar.key))


# --- Reach ---------------------------------------------------------------------------------------------------------


def _reach(programme, period: _Period) -> Reach:
    households = Household.objects.filter(programme=programme).order_by()
    totals = households.aggregate(households=models.Count("pk", filter=period.q("reached_at")),
                                  to_date=models.Count("pk", filter=Q(reached_at__lt=period.end)))
    reached = households.filter(period.q("reached_at"))
    sources = reached.values("referral_source").annotate(n=models.Count("pk"))
    tenures = reached.values(tenure=F("dwelling__tenure")).annotate(n=models.Count("pk"))
    areas = reached.values(area=Substr("dwelling__postcode", 1, 4)).annotate(n=models.Count("pk"))
    return Reach(
        households=totals["households"], target=programme.target_households, reached_to_date=totals["to_date"],
        by_referral_source=_counts(sources, "referral_source", dict(ReferralSource.choices)),
        by_tenure=_counts(tenures, "tenure", dict(Tenure.choices)),
        by_postcode_area=_counts(areas, "area", {}))


# --- Visits --------------------------------------------------------------------------------------------------------


def _visits(programme, period: _Period) -> Visits:
    done = period.q("done_at")
    counts = Visit.objects.filter(household__programme=programme).order_by().aggregate(
        planned=models.Count("pk", filter=period.q("planned_at") & Q(done_at=None)),
        **{kind: models.Count("pk", filter=done & Q(kind=kind)) for kind in Visit.Kind.values})
    return Visits(by_kind=[Count(kind, str(label), counts[kind]) for kind, label in Visit.Kind.choices],
                  planned=counts["planned"])


# --- Products packages ---------------------------------------------------------------------------------------------


def _band_amount(amount: Decimal) -> str:
    return str(int(amount)) if amount == amount.to_integral_value() else formats.number_format(amount, 2)


def _packages(programme, period: _Period, limit: Decimal) -> Packages:
    installed = installed_value(Package.objects.filter(period.q("installed_at"), programme=programme), limit)
    bands = []
    for band in installed.bands:
        low = _band_amount(band.low)
        if band.above_limit:
            bands.append(Count(f"{low}+", _("more than € %(amount)s") % {"amount": low}, band.dwellings))
        else:
            high = _band_amount(band.high)
            bands.append(Count(f"{low}–{high}", f"€ {low}–{high}", band.dwellings))
    return Packages(dwellings=installed.dwellings, value=installed.total, average_per_dwelling=installed.average,
                    limit=limit, bands=bands, above_limit=installed.bands[-1].dwellings)


# --- Large measures ------------------------------------------------------------------------------------------------


def _large_measures(programme, period: _Period) -> LargeMeasures:
    applications = Application.objects.filter(programme=programme).filter(period.q("submitted_at")).order_by()
    granted, paid = Q(status__in=Application.GRANTED), Q(status=Application.Status.PAID)
    groups = applications.values("measure", "route").annotate(
        approved=models.Count("pk", filter=granted), granted=Sum("granted_amount", filter=granted),
        paid=models.Count("pk", filter=paid), paid_amount=Sum("payout_amount", filter=paid),
        submitted=models.Count("pk"))
    measures, routes = list(LargeMeasure.values), list(Route.values)
    rows = [MeasureRow(measure=group["measure"], label=str(LargeMeasure(group["measure"]).label),
                       route=group["route"], route_label=str(Route(group["route"]).label),
                       approved=group["approved"], granted=group["granted"] or ZERO,
                       paid=group["paid"], paid_amount=group["paid_amount"] or ZERO)
            for group in sorted(groups, key=lambda group: (measures.index(group["measure"]),
                                                           routes.index(group["route"])))]
    approved = sum(row.approved for row in rows)
    granted_total = sum((row.granted for row in rows), ZERO)
    return LargeMeasures(
        rows=rows, submitted=sum(group["submitted"] for group in groups), approved=approved,
        granted=granted_total, paid=sum(row.paid for row in rows),
        paid_amount=sum((row.paid_amount for row in rows), ZERO),
        average_grant=to_cents(granted_total / approved) if approved else None,
        assumed_average=programme.default_average_grant, target=programme.target_large_measures)


# --- Decision lead times -------------------------------------------------------------------------------------------


def _lead_times(programme, period: _Period, today: datetime.date) -> LeadTimes:
    applications = Application.objects.filter(programme=programme).order_by()
    decided = period.q("decided_at")
    suspended = decided & Q(suspended_days__gt=0)
    counts = applications.aggregate(
        decided=models.Count("pk", filter=decided),
        overdue=models.Count("pk", filter=overdue_q(today) & Q(submitted_at__lt=period.end)),
        suspended=models.Count("pk", filter=suspended), suspended_days=Sum("suspended_days", filter=suspended))
    moments = pd.DataFrame.from_records(
        list(applications.filter(decided).values_list("submitted_at", "decided_at")),
        columns=["submitted_at", "decided_at"])
    days = _calendar_days(moments["submitted_at"], moments["decided_at"])
    return LeadTimes(decided=counts["decided"], median_days=_percentile(days, Decimal("0.5")),
                     p90_days=_percentile(days, Decimal("0.9")), overdue=counts["overdue"],
                     suspended_applications=counts["suspended"], suspended_days=counts["suspended_days"] or 0)


def _calendar_days(start: pd.Series, end: pd.Series) -> np.ndarray:
    """Whole calendar days from each start's local date to its end's local date (sorted integers)."""
    zone = timezone.get_current_timezone_name()

    def local_day(moments: pd.Series) -> pd.Series:
        return pd.to_datetime(moments, utc=True).dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()

    return np.sort((local_day(end) - local_day(start)).dt.days.to_numpy(dtype=np.int64))


def _percentile(days: np.ndarray, share: Decimal) -> Decimal | None:
    """The percentile of sorted whole days by linear interpolation between the two nearest (numpy's and pandas'
    default), computed exactly in Decimal; None without any."""
    if not len(days):
        return None
    position = (len(days) - 1) * share
    below = int(position)
    value = Decimal(int(days[below]))
    if below + 1 < len(days):
        value += (position - below) * (int(days[below + 1]) - int(days[below]))
    return value.quantize(DAYS, rounding=ROUND_HALF_UP)


# --- Estimated yearly savings --------------------------------------------------------------------------------------


def _savings(programme, ends_on: datetime.date, rule_set_version: str, rows: list[MeasureRow]) -> Savings:
    table: dict[str, LargeMeasureCost] = {}
    for cost in (LargeMeasureCost.objects.filter(programme=programme, valid_from__lte=ends_on)
                 .order_by("measure", "-valid_from")):
        table.setdefault(cost.measure, cost)
    approved: dict[str, int] = {}
    for row in rows:
        approved[row.measure] = approved.get(row.measure, 0) + row.approved
    saving_rows = [
        SavingRow(measure=measure, label=str(LargeMeasure(measure).label), count=count,
                  yearly_low=count * table[measure].yearly_savings_minimum,
                  yearly_high=count * table[measure].yearly_savings_maximum)
        for measure, count in approved.items() if count and measure in table]
    if table:
        source = _("Indicative table of large measures (rule set %(version)s, valid from %(date)s)") % {
            "version": rule_set_version,
            "date": formats.date_format(max(cost.valid_from for cost in table.values()), "j F Y")}
    else:
        source = _("No indicative table of large measures is valid on %(date)s.") % {
            "date": formats.date_format(ends_on, "j F Y")}
    return Savings(rows=saving_rows, yearly_low=sum((row.yearly_low for row in saving_rows), ZERO),
                   yearly_high=sum((row.yearly_high for row in saving_rows), ZERO), source=source,
                   not_estimated=sum(count for measure, count in approved.items() if measure not in table))


# --- Budget burn against the plan ----------------------------------------------------------------------------------


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _month_end(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _planned(allocated: Decimal, programme, day: datetime.date) -> Decimal:
    """What the plan had spent by the end of `day`: the allocation spread evenly over the programme's days."""
    days = (programme.ends_on - programme.starts_on).days + 1
    elapsed = min(max((day - programme.starts_on).days + 1, 0), days)
    return to_cents(allocated * elapsed / days)


def _budget(programme, ends_on: datetime.date) -> list[LineBurn]:
    """Each line's burn up to the end of `ends_on`: its month summaries (`LineMonth`) up to the month before, and
    the bookings of the last month up to that day from the ledger itself (a month may end after the period)."""
    lines = list(budget_lines(programme))
    last_month = _month(ends_on)
    moved: dict[tuple[int, datetime.date], tuple[Decimal, Decimal]] = {
        (summary.line_id, summary.month): (summary.committed, summary.spent)
        for summary in LineMonth.objects.filter(line__programme=programme, month__lt=last_month)}
    for summary in ledger_months((line.pk for line in lines), booked_from=last_month, booked_until=ends_on):
        moved[(summary.line_id, last_month)] = (summary.committed, summary.spent)
    shown = months_between(programme.starts_on, ends_on)
    burns = []
    for line in lines:
        committed = spent = ZERO
        months = []
        for (line_id, month), (committed_change, spent_change) in sorted(moved.items()):
            if line_id == line.pk and (not shown or month < shown[0]):
                committed, spent = committed + committed_change, spent + spent_change
        for month in shown:
            committed_change, spent_change = moved.get((line.pk, month), (ZERO, ZERO))
            committed, spent = committed + committed_change, spent + spent_change
            day = min(_month_end(month), ends_on)
            months.append((month, spent, _planned(line.allocated, programme, day)))
        burns.append(LineBurn(line_id=line.pk, name=line.name, allocated=line.allocated, committed=committed,
                              spent=spent, planned=_planned(line.allocated, programme, ends_on), months=months))
    return burns
