"""The programme report as people see it (docs/reports.md, "The page and the files"): its pictures, its PDF and
its xlsx, and the task that makes a file in the background.

The figures themselves come from `reports.selectors.programme_figures`; this module only shows them:

- `report_charts(figures)`: the numbers the server-rendered SVG pictures need (bar widths on a scale of 100, the
  € 330 mark among the package bands, the decision term among the lead times, spent against plan per budget line
  and per month). Positions are strings with a decimal point, so Dutch number formatting in a template cannot make
  them invalid SVG; the same numbers stand in a table or a text beside every picture.
- `report_pdf(figures)`, `report_xlsx(figures)`: the file's bytes, in Dutch whatever the asker's language (the
  council's and the funder's language). The xlsx has one sheet per section, numbers as numbers, amounts in euros
  formatted as such, and every text cell through `accounts.text.spreadsheet_cell`.
- `request_report_file(...)`: a `ReportFile` and its task in one transaction; `make_report_file` (the task)
  computes the figures, writes the file and records how far it is.
"""

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.tasks import task
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import Font

import reports.selectors
from accounts.pdf import render_pdf_template
from accounts.roles import ensure_may
from accounts.text import spreadsheet_cell
from budget.charts import progress
from eligibility.parameters import NoParametersOnDate, rule_set_on
from reports.background import making
from reports.models import FileFormat, ReportFile
from reports.selectors import Count, LineBurn, MeasureRow, ProgrammeFigures

FILE_LANGUAGE = "nl"
PDF_TEMPLATE = "reports/programme/report_pdf.html"
POSTCODE_AREAS_SHOWN = 15
HUNDRED = Decimal(100)
EURO_FORMAT = '"€" #,##0.00'
DAYS_FORMAT = "0.0"


def _width(part, whole) -> str:
    """`part` as a share of `whole` on a scale of 0–100, as SVG wants it."""
    if not whole or not part or part <= 0:
        return "0"
    return str(min(Decimal(part) * HUNDRED / Decimal(whole), HUNDRED).quantize(Decimal("0.1")))


# --- The pictures -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of a horizontal bar chart: what it counts, how many, its share of all, its width (longest = 100)."""

    key: str
    label: str
    count: int
    percentage: int
    width: str


def bars(counts: list[Count]) -> list[Bar]:
    longest = max((count.count for count in counts), default=0)
    total = sum(count.count for count in counts)
    return [Bar(count.key, count.label, count.count, round(count.count * 100 / total) if total else 0,
                _width(count.count, longest)) for count in counts]


def top_areas(areas: list[Count], shown: int = POSTCODE_AREAS_SHOWN) -> list[Count]:
    """The `shown` postcode-4 areas with most households, the rest together as "other areas"."""
    ordered = sorted(areas, key=lambda area: (-area.count, area.key))
    rest = ordered[shown:]
    if not rest:
        return ordered
    return [*ordered[:shown], Count("other", _("Other areas (%(areas)s)") % {"areas": len(rest)},
                                    sum(area.count for area in rest))]


@dataclass(frozen=True)
class MeasureBar:
    """A measure and route with the width of its bar (the most granted = 100)."""

    row: MeasureRow
    width: str


def measure_bars(rows: list[MeasureRow]) -> list[MeasureBar]:
    most = max((row.approved for row in rows), default=0)
    return [MeasureBar(row, _width(row.approved, most)) for row in rows]


@dataclass(frozen=True)
class Column:
    label: str
    short: str  # under the column: the band's key ("300–350"), the label being longer
    count: int
    x: str
    center: str
    y: str
    height: str
    above_limit: bool


BAND_COLUMN = 30
BAND_GAP = 6
BAND_CHART_HEIGHT = 120


def band_chart(packages) -> dict:
    """The packages' value bands as columns, the limit per dwelling as a line between them.

    A band's lower bound is read from its key ("300–350", "450+"); the limit's line stands where the limit falls
    within its band. Without numeric keys the chart has no line (the text beside it still names the limit).
    """
    highest = max((band.count for band in packages.bands), default=0) or 1
    lows = [_band_low(band.key) for band in packages.bands]
    slot = BAND_COLUMN + BAND_GAP
    columns = []
    for index, band in enumerate(packages.bands):
        height = (Decimal(band.count) * BAND_CHART_HEIGHT / highest).quantize(Decimal("0.1"))
        columns.append(Column(band.label, band.key, band.count, str(index * slot + BAND_GAP // 2),
                              str(index * slot + slot // 2), str(BAND_CHART_HEIGHT - height), str(height),
                              lows[index] is not None and lows[index] >= packages.limit))
    return {"columns": columns, "width": len(columns) * slot, "height": BAND_CHART_HEIGHT,
            "column_width": BAND_COLUMN, "limit_x": _limit_x(lows, packages.limit, slot)}


def _band_low(key: str) -> Decimal | None:
    match = re.match(r"\d+", key)
    return Decimal(match.group()) if match else None


def _limit_x(lows: list[Decimal | None], limit: Decimal, slot: int) -> str | None:
    if not lows or None in lows:
        return None
    for index, low in enumerate(lows):
        high = lows[index + 1] if index + 1 < len(lows) else None
        if low <= limit and (high is None or limit < high):
            within = (limit - low) / (high - low) if high is not None else Decimal(0)
            return str((index * slot + within * slot).quantize(Decimal("0.1")))
    return None


@dataclass(frozen=True)
class LineBar:
    """A budget line as a bar on the scale of its allocation: spent, committed after it, the plan as a mark."""

    line: LineBurn
    spent: str
    committed: str
    committed_x: str
    planned_x: str
    ahead_of_plan: bool


def line_bars(budget) -> list[LineBar]:
    result = []
    for line in budget:
        spent = _width(line.spent, line.allocated)
        result.append(LineBar(line, spent, _width(line.committed, line.allocated), spent,
                              _width(line.planned, line.allocated), line.spent > line.planned))
    return result


@dataclass(frozen=True)
class MonthColumn:
    month: datetime.date
    label: str
    labelled: bool  # the label shown under the column: every month of a year or less, else each January
    spent: Decimal
    planned: Decimal
    x: str
    y: str
    height: str
    planned_y: str


MONTH_SLOT = Decimal(32)  # a column and its gap, while the months fit in the chart's width
MONTH_CHART_WIDTH = Decimal(480)  # more months share this width (a programme of five years: 60 thin columns)
MONTH_CHART_HEIGHT = 120
TENTH = Decimal("0.1")


def month_chart(budget) -> dict:
    """All lines together per month (`LineBurn.months`: up to each month's end): what was spent as columns, what
    the plan had spent by then as a line through them. Up to a year every month is named under its column, else
    each January."""
    months: dict[datetime.date, list[Decimal]] = {}
    for line in budget:
        for month, spent, planned in line.months:
            totals = months.setdefault(month, [Decimal(0), Decimal(0)])
            totals[0] += spent
            totals[1] += planned
    highest = max((max(spent, planned) for spent, planned in months.values()), default=Decimal(0))
    slot = min(MONTH_SLOT, MONTH_CHART_WIDTH / len(months)) if months else MONTH_SLOT
    column_width = (slot * 3 / 4).quantize(TENTH)
    columns = []
    for index, (month, (spent, planned)) in enumerate(sorted(months.items())):
        height = _scaled(spent, highest, MONTH_CHART_HEIGHT)
        labelled = len(months) <= 12 or index == 0 or month.month == 1
        x = (index * slot + slot / 8).quantize(TENTH)
        columns.append(MonthColumn(month, formats.date_format(month, "M Y"), labelled, spent, planned, str(x),
                                   str(MONTH_CHART_HEIGHT - height), str(height),
                                   str(MONTH_CHART_HEIGHT - _scaled(planned, highest, MONTH_CHART_HEIGHT))))
    plan_line = " ".join(f"{Decimal(column.x) + column_width / 2},{column.planned_y}" for column in columns)
    return {"columns": columns, "width": str((len(months) * slot).quantize(TENTH)), "height": MONTH_CHART_HEIGHT,
            "column_width": str(column_width), "plan_line": plan_line}


def _scaled(value: Decimal, highest: Decimal, height: int) -> Decimal:
    if highest <= 0 or value <= 0:
        return Decimal(0)
    return (value * height / highest).quantize(Decimal("0.1"))


def lead_time_bars(lead_times, term_days: int | None) -> dict:
    """Median and 90th percentile as bars on one scale of days, with the decision term as a mark."""
    days = [value for value in (lead_times.median_days, lead_times.p90_days, term_days) if value is not None]
    scale = max(days, default=0)
    return {"median": _width(lead_times.median_days, scale), "p90": _width(lead_times.p90_days, scale),
            "term_x": _width(term_days, scale) if term_days else None}


def report_charts(figures: ProgrammeFigures, *, term_days: int | None = None) -> dict:
    """Everything the page's and the PDF's pictures need, from the figures."""
    reach, large = figures.reach, figures.large_measures
    average_scale = max(large.average_grant or 0, large.assumed_average)
    return {
        "households": progress(reach.reached_to_date, reach.target),
        "large_measures": progress(large.approved, large.target),
        "referral_sources": bars(reach.by_referral_source),
        "tenures": bars(reach.by_tenure),
        "postcode_areas": bars(top_areas(reach.by_postcode_area)),
        "visits": bars(figures.visits.by_kind),
        "bands": band_chart(figures.packages),
        "package_average": _width(figures.packages.average_per_dwelling, figures.packages.limit),
        "measures": measure_bars(large.rows),
        "average_grant": _width(large.average_grant, average_scale),
        "assumed_average": _width(large.assumed_average, average_scale),
        "lead_times": lead_time_bars(figures.lead_times, term_days),
        "lines": line_bars(figures.budget),
        "months": month_chart(figures.budget),
    }


def budget_totals(figures: ProgrammeFigures) -> dict:
    lines = figures.budget
    return {name: sum((getattr(line, name) for line in lines), Decimal("0.00"))
            for name in ("allocated", "committed", "spent", "planned")}


def report_context(figures: ProgrammeFigures, *, term_days: int | None = None) -> dict:
    return {"figures": figures, "charts": report_charts(figures, term_days=term_days),
            "budget_totals": budget_totals(figures), "term_days": term_days}


# --- The files ----------------------------------------------------------------------------------------------------


def file_name(report_file: ReportFile) -> str:
    return (f"programmarapportage-{report_file.programme.slug}-{report_file.starts_on:%Y%m%d}-"
            f"{report_file.ends_on:%Y%m%d}.{report_file.file_format}")


def report_pdf(figures: ProgrammeFigures, *, term_days: int | None = None) -> bytes:
    with override(FILE_LANGUAGE):  # the pictures' labels (months, "other areas") too
        context = {**report_context(figures, term_days=term_days), "made_at": timezone.localtime()}
    return render_pdf_template(PDF_TEMPLATE, context, language=FILE_LANGUAGE)


class _Sheet:
    """A worksheet written row by row: text cleaned and escaped, amounts in euros, a bold heading row."""

    def __init__(self, workbook: Workbook, title: str, *, first: bool = False):
        self.sheet = workbook.active if first else workbook.create_sheet()
        self.sheet.title = title[:31]

    def heading(self, *names) -> None:
        self.row(*names)
        for cell in self.sheet[self.sheet.max_row]:
            cell.font = Font(bold=True)

    def row(self, *values, euros: tuple[int, ...] = (), days: tuple[int, ...] = ()) -> None:
        self.sheet.append([spreadsheet_cell(value) for value in values])
        cells = self.sheet[self.sheet.max_row]
        for index in euros:
            cells[index].number_format = EURO_FORMAT
        for index in days:
            cells[index].number_format = DAYS_FORMAT

    def blank(self) -> None:
        self.sheet.append([])

    def counts(self, title: str, counts: list[Count]) -> None:
        self.heading(title, _("Households") if title else "")
        for count in counts:
            self.row(count.label, count.count)

    def widths(self, *widths: int) -> None:
        for index, width in enumerate(widths):
            self.sheet.column_dimensions[chr(ord("A") + index)].width = width


def report_xlsx(figures: ProgrammeFigures) -> bytes:
    """The report as a workbook: one sheet per section of the page."""
    with override(FILE_LANGUAGE):
        workbook = Workbook()
        _overview_sheet(_Sheet(workbook, _("Overview"), first=True), figures)
        _reach_sheet(_Sheet(workbook, _("Households reached")), figures.reach)
        _visits_sheet(_Sheet(workbook, _("Visits")), figures.visits)
        _packages_sheet(_Sheet(workbook, _("Packages")), figures.packages)
        _large_measures_sheet(_Sheet(workbook, _("Large measures")), figures.large_measures)
        _lead_times_sheet(_Sheet(workbook, _("Lead times")), figures.lead_times)
        _savings_sheet(_Sheet(workbook, _("Savings")), figures.savings)
        _budget_sheet(_Sheet(workbook, _("Budget")), figures)
        output = io.BytesIO()
        workbook.save(output)
    return output.getvalue()


def _overview_sheet(sheet: _Sheet, figures: ProgrammeFigures) -> None:
    reach, large = figures.reach, figures.large_measures
    sheet.heading(_("Programme report"), "")
    sheet.row(_("Programme"), figures.programme_name)
    sheet.row(_("From"), figures.starts_on)
    sheet.row(_("To"), figures.ends_on)
    sheet.blank()
    sheet.heading(_("Figure"), _("Value"), _("Target"))
    sheet.row(_("Households reached in the period"), reach.households)
    sheet.row(_("Households reached since the start"), reach.reached_to_date, reach.target)
    sheet.row(_("Large measures granted"), large.approved, large.target)
    sheet.row(_("Large measures paid"), large.paid)
    sheet.row(_("Dwellings with a package installed"), figures.packages.dwellings)
    sheet.row(_("Average package value per dwelling"), figures.packages.average_per_dwelling,
              figures.packages.limit, euros=(1, 2))
    sheet.row(_("Average grant"), large.average_grant, large.assumed_average, euros=(1, 2))
    sheet.row(_("Estimated yearly savings, from"), figures.savings.yearly_low, euros=(1,))
    sheet.row(_("Estimated yearly savings, to"), figures.savings.yearly_high, euros=(1,))
    for cell in sheet.sheet["B"][1:3]:
        cell.number_format = "d-m-yyyy"
    sheet.widths(44, 40, 14)


def _reach_sheet(sheet: _Sheet, reach) -> None:
    sheet.counts(_("Referral source"), reach.by_referral_source)
    sheet.blank()
    sheet.counts(_("Tenure"), reach.by_tenure)
    sheet.blank()
    sheet.counts(_("Postcode area"), reach.by_postcode_area)
    sheet.widths(40, 14)


def _visits_sheet(sheet: _Sheet, visits) -> None:
    sheet.heading(_("Visit"), _("Done"))
    for count in visits.by_kind:
        sheet.row(count.label, count.count)
    sheet.row(_("Planned, not yet done"), visits.planned)
    sheet.widths(32, 14)


def _packages_sheet(sheet: _Sheet, packages) -> None:
    sheet.heading(_("Figure"), _("Value"))
    sheet.row(_("Dwellings with a package installed"), packages.dwellings)
    sheet.row(_("Installed value"), packages.value, euros=(1,))
    sheet.row(_("Average per dwelling"), packages.average_per_dwelling, euros=(1,))
    sheet.row(_("Limit per dwelling"), packages.limit, euros=(1,))
    sheet.row(_("Dwellings above the limit"), packages.above_limit)
    sheet.blank()
    sheet.heading(_("Value per dwelling"), _("Dwellings"))
    for band in packages.bands:
        sheet.row(band.label, band.count)
    sheet.widths(36, 16)


def _large_measures_sheet(sheet: _Sheet, large) -> None:
    sheet.heading(_("Measure"), _("Route"), _("Granted"), _("Amount granted"), _("Paid"), _("Amount paid"))
    for row in large.rows:
        sheet.row(row.label, row.route_label, row.approved, row.granted, row.paid, row.paid_amount, euros=(3, 5))
    sheet.row(_("Total"), "", large.approved, large.granted, large.paid, large.paid_amount, euros=(3, 5))
    sheet.blank()
    sheet.heading(_("Figure"), _("Value"))
    sheet.row(_("Submitted"), large.submitted)
    sheet.row(_("Average grant"), large.average_grant, euros=(1,))
    sheet.row(_("Average the budget assumed"), large.assumed_average, euros=(1,))
    sheet.row(_("Target"), large.target)
    sheet.widths(32, 36, 12, 18, 10, 18)


def _lead_times_sheet(sheet: _Sheet, lead_times) -> None:
    sheet.heading(_("Figure"), _("Value"))
    sheet.row(_("Decided in the period"), lead_times.decided)
    sheet.row(_("Median, days from submission to decision"), lead_times.median_days, days=(1,))
    sheet.row(_("90th percentile, days"), lead_times.p90_days, days=(1,))
    sheet.row(_("Overdue now"), lead_times.overdue)
    sheet.row(_("Decided applications that were suspended"), lead_times.suspended_applications)
    sheet.row(_("Their days suspended, together"), lead_times.suspended_days)
    sheet.widths(44, 12)


def _savings_sheet(sheet: _Sheet, savings) -> None:
    sheet.heading(_("Measure"), _("Granted"), _("Yearly saving, from"), _("Yearly saving, to"))
    for row in savings.rows:
        sheet.row(row.label, row.count, row.yearly_low, row.yearly_high, euros=(2, 3))
    sheet.row(_("Total"), sum(row.count for row in savings.rows), savings.yearly_low, savings.yearly_high,
              euros=(2, 3))
    sheet.row(_("Granted, not estimated (no row in the table)"), savings.not_estimated)
    sheet.blank()
    sheet.row(_("Source"), savings.source)
    sheet.widths(32, 12, 20, 20)


def _budget_sheet(sheet: _Sheet, figures: ProgrammeFigures) -> None:
    sheet.heading(_("Budget line"), _("Allocated"), _("Committed"), _("Spent"), _("Planned by the end"))
    for line in figures.budget:
        sheet.row(line.name, line.allocated, line.committed, line.spent, line.planned, euros=(1, 2, 3, 4))
    totals = budget_totals(figures)
    sheet.row(_("Total"), totals["allocated"], totals["committed"], totals["spent"], totals["planned"],
              euros=(1, 2, 3, 4))
    sheet.blank()
    sheet.heading(_("Budget line"), _("Month"), _("Spent"), _("Planned"))
    for line in figures.budget:
        for month, spent, planned in line.months:
            sheet.row(line.name, month, spent, planned, euros=(2, 3))
            sheet.sheet.cell(sheet.sheet.max_row, 2).number_format = "mmm yyyy"
    sheet.widths(48, 16, 16, 16, 20)


# --- In the background --------------------------------------------------------------------------------------------

STEPS = 3  # the figures, the file, stored


@transaction.atomic
def request_report_file(programme, *, starts_on: datetime.date, ends_on: datetime.date, file_format: str,
                        by) -> ReportFile:
    """A report file asked for, with its task: the database task backend stores the task in this same
    transaction, so there is no file row without its task."""
    ensure_may(by, "reports.view_programme_report")
    report_file = ReportFile.objects.create(programme=programme, starts_on=starts_on, ends_on=ends_on,
                                            file_format=file_format, requested_by=by, rows_total=STEPS)
    make_report_file.enqueue(report_file.pk)
    return report_file


@task()
def make_report_file(report_file_id: int) -> int:
    """Compute the figures and write the PDF or xlsx; returns the file's size in bytes."""
    report_file = ReportFile.objects.select_related("programme").defer("content").get(pk=report_file_id)
    with making(report_file, rows=0) as made:
        figures = reports.selectors.programme_figures(report_file.programme, report_file.starts_on, report_file.ends_on)
        made.progress(rows=1)
        if report_file.file_format == FileFormat.PDF:
            content = report_pdf(figures, term_days=decision_term_days(report_file.programme, report_file.ends_on))
        else:
            content = report_xlsx(figures)
        made.progress(rows=2)
        made.done(content, rows=STEPS)
    return len(content)


def decision_term_days(programme, on_date: datetime.date) -> int | None:
    """The rule set's decision term on the date (Hilversum: 28 days), for the lead times' picture."""
    try:
        return rule_set_on(programme, on_date).decision_term_days
    except NoParametersOnDate:
        return None
