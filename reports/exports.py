"""Exports of the lists: the households, the applications (and the assessor's queue), the visits, the packages and
a budget line's ledger, as xlsx or csv, made in the background (docs/reports.md, "Exports of the lists").

- A *kind* of list (`KINDS`) says who may export it (a permission: whoever may see the list), which rows it holds
  for that user with the list's own filters (the left apps' selectors and filter forms, so the file holds exactly
  the rows the list shows on all its pages, scoped as the list is), and its columns (Dutch headers, values as the
  list shows them: choice labels, people's names).
- *Filters*: the list's address parameters when the export was asked for (a `QueryDict`'s lists, kept on the
  `ListExport`); a bad value is ignored as the list ignores it.
- *Writing* (`write_export`): the rows are read with `.values()` in chunks of `CHUNK` (no query per row) and
  `rows` is saved after each chunk for the progress bar. Every text cell goes through
  `accounts.text.spreadsheet_cell` (text starting with =, +, -, @, a tab or a carriage return gets an apostrophe
  before it: it opens as text, never as a formula). Amounts: in xlsx a number cell with two decimals written from
  the exact Decimal; in csv the exact amount with a decimal comma ("1234,56"), as Dutch Excel reads a number.
  Dates ISO (2026-03-01; with the time 2026-03-01 14:30, in the programme's time zone). csv: UTF-8 with a byte
  order mark, fields separated by ";" (what Dutch Excel expects when the decimal separator is a comma).
- *Keeping*: a file is kept `KEPT_FOR` (24 hours) for the user who asked; then the export and its file are deleted
  (the next export clears the old ones; downloads of older files are refused); its audit event stays.
- Each export is recorded in the audit trail when its file is made: who, which list, which filters, how many rows.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import rules
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.tasks import task
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from accounts.audit import record_event
from accounts.roles import ensure_may
from accounts.text import is_id, spreadsheet_cell
from budget.forms import LedgerFilterForm
from budget.models import BudgetLine, LedgerEntry
from eligibility.codes import EnergyLabel, HouseholdType, LargeMeasure, Tenure
from fieldwork.models import Visit
from fieldwork.selectors import Week
from households.forms import HouseholdFilterForm
from households.models import DwellingType, Household, ReferralSource
from households.selectors import households_visible_to, of_households_visible_to, search_households
from reports.background import Making, making
from reports.models import FileFormat, ListExport
from subsidy import selectors as subsidy_selectors
from subsidy.forms import ApplicationFilterForm
from subsidy.models import Application, Package, Route

CHUNK = 2000
KEPT_FOR = datetime.timedelta(hours=24)
FORMATS = (FileFormat.XLSX, FileFormat.CSV)


# --- Columns ---------------------------------------------------------------------------------------------------


class Amount(Decimal):
    """An amount in euros: a number cell with two decimals in xlsx, "1234,56" in csv."""


@dataclass(frozen=True)
class Column:
    header: Promise
    fields: tuple[str, ...]  # what `.values()` reads for it
    value: Callable[[dict], object]


def text(header, field: str) -> Column:
    return Column(header, (field,), lambda row: row[field] or "")


def number(header, field: str) -> Column:
    return Column(header, (field,), lambda row: row[field])


def choice(header, field: str, choices) -> Column:
    """A choice's label in the language of the export (translated once per language, not once per row)."""
    translated = {}

    def value(row):
        labels = translated.get(get_language())
        if labels is None:
            labels = translated[get_language()] = {code: str(label) for code, label in choices}
        return labels.get(row[field], row[field] or "")
    return Column(header, (field,), value)


def amount(header, field: str) -> Column:
    return Column(header, (field,), lambda row: None if row[field] is None else Amount(row[field]))


def day(header, field: str) -> Column:
    return Column(header, (field,), lambda row: row[field])


def moment(header, field: str) -> Column:
    """A moment as the programme's local date and time, to the minute (a spreadsheet has no time zones)."""
    def value(row):
        if row[field] is None:
            return None
        return timezone.localtime(row[field]).replace(tzinfo=None, second=0, microsecond=0)
    return Column(header, (field,), value)


def moment_day(header, field: str) -> Column:
    return Column(header, (field,), lambda row: None if row[field] is None else timezone.localdate(row[field]))


def person(header, user: str) -> Column:
    """A user's full name, or their username (as `accounts.templatetags.people.person`); empty for none."""
    fields = (f"{user}__first_name", f"{user}__last_name", f"{user}__username")

    def value(row):
        full = f"{row[fields[0]] or ''} {row[fields[1]] or ''}".strip()
        return full or row[fields[2]] or ""
    return Column(header, fields, value)


def address(header, dwelling: str) -> Column:
    """Street and number as the lists show it ("Neuweg 203a-2"); empty without a dwelling."""
    fields = tuple(f"{dwelling}__{name}" for name in ("street", "house_number", "house_letter",
                                                       "house_number_addition"))

    def value(row):
        street, house_number, letter, addition = (row[field] for field in fields)
        if not street:
            return ""
        line = f"{street} {house_number}{letter or ''}"
        return f"{line}-{addition}" if addition else line
    return Column(header, fields, value)


def yes_no(header, field: str) -> Column:
    return Column(header, (field,), lambda row: str(_("yes") if row[field] else _("no")))


# --- The kinds of list -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListKind:
    name: str
    title: Promise
    permission: str
    rows: Callable[[object, QueryDict], QuerySet]  # (user, filters) → the list's rows for the user, in its order
    columns: tuple[Column, ...]
    file_stem: str

    def values(self, user, filters: QueryDict) -> QuerySet:
        fields = dict.fromkeys(field for column in self.columns for field in column.fields)
        return self.rows(user, filters).values(*fields)


def _one(filters: QueryDict, name: str) -> str:
    return (filters.get(name) or "").strip()


def household_rows(user, filters: QueryDict) -> QuerySet:
    """The household list (households.views.household_list): the user's households with its search and filters."""
    criteria = HouseholdFilterForm(filters, user=user).criteria()
    return search_households(households_visible_to(user), **criteria)


def application_rows(user, filters: QueryDict, *, statuses=None) -> QuerySet:
    """The applications list (subsidy.views.review.application_list) or, with `statuses`, the queue."""
    applications = subsidy_selectors.applications_visible_to(user)
    if statuses:
        applications = subsidy_selectors.queue(applications)
    criteria = ApplicationFilterForm(filters or None, statuses=statuses).criteria()
    return subsidy_selectors.search_applications(applications, today=timezone.localdate(), **criteria)


def queue_rows(user, filters: QueryDict) -> QuerySet:
    return application_rows(user, filters, statuses=list(Application.AWAITING_DECISION))


def _by_id(queryset: QuerySet, filters: QueryDict, name: str, field: str) -> QuerySet:
    """Only the rows whose `field` is the id given as `name`; none when it is not an id (never more than asked)."""
    value = _one(filters, name)
    if not value:
        return queryset
    return queryset.filter(**{field: int(value)}) if is_id(value) else queryset.none()


def visit_rows(user, filters: QueryDict) -> QuerySet:
    """The visits of the households the user may see: the coordinator's workload (`week`), one handyman's week
    (`handyman`, `week`), the handyman's own visits (his agenda); by planned moment."""
    visits = _by_id(of_households_visible_to(user, Visit.objects.all()), filters, "handyman", "handyman_id")
    if _one(filters, "week"):
        week = Week.parse(_one(filters, "week"), today=timezone.localdate())
        visits = visits.filter(planned_at__gte=week.start, planned_at__lt=week.end)
    return visits.order_by("planned_at", "pk")


def package_rows(user, filters: QueryDict) -> QuerySet:
    """The packages of the households the user may see, of one programme (`programme`, its code) and state."""
    packages = of_households_visible_to(user, Package.objects.all())
    if _one(filters, "programme"):
        packages = packages.filter(programme__slug=_one(filters, "programme"))
    if _one(filters, "status"):
        packages = packages.filter(status=_one(filters, "status"))
    return packages.order_by("pk")


def ledger_rows(user, filters: QueryDict) -> QuerySet:
    """One budget line's ledger (budget.views.ledger: `line`) with the page's filters, newest first."""
    line = _one(filters, "line")
    if not is_id(line) or not BudgetLine.objects.filter(pk=int(line)).exists():
        return LedgerEntry.objects.none()
    entries = LedgerFilterForm(filters or None).filter(LedgerEntry.objects.filter(line_id=int(line)))
    reversals = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL, refers_to=models.OuterRef("pk"))
    return entries.annotate(is_reversed=models.Exists(reversals)).order_by("-booked_on", "-pk")


HOUSEHOLD_COLUMNS = (
    text(_("Reference"), "reference"),
    text(_("Contact person"), "contact_name"),
    address(_("Address"), "dwelling"),
    text(_("Postcode"), "dwelling__postcode"),
    text(_("City"), "dwelling__city"),
    choice(_("Energy label"), "dwelling__energy_label", EnergyLabel.choices),
    choice(_("Dwelling type"), "dwelling__dwelling_type", DwellingType.choices),
    number(_("Build year"), "dwelling__build_year"),
    choice(_("Tenure"), "dwelling__tenure", Tenure.choices),
    choice(_("Household type"), "household_type", HouseholdType.choices),
    choice(_("Status"), "status", Household.Status.choices),
    choice(_("Referred by"), "referral_source", ReferralSource.choices),
    person(_("Energy handyman"), "handyman"),
    person(_("Community worker"), "community_worker"),
    moment_day(_("Registered on"), "created_at"),
)

APPLICATION_COLUMNS = (
    text(_("Reference"), "reference"),
    text(_("Applicant"), "applicant_name"),
    text(_("Household"), "household__reference"),
    address(_("Address"), "household__dwelling"),
    text(_("Postcode"), "household__dwelling__postcode"),
    choice(_("Measure"), "measure", LargeMeasure.choices),
    choice(_("Route"), "route", Route.choices),
    choice(_("Status"), "status", Application.Status.choices),
    moment_day(_("Submitted on"), "submitted_at"),
    day(_("Decide by"), "decision_due_on"),
    moment_day(_("Decided on"), "decided_at"),
    amount(_("Grant applied for"), "requested_grant"),
    amount(_("Grant"), "granted_amount"),
    amount(_("Payout"), "payout_amount"),
    day(_("Paid on"), "paid_on"),
    person(_("Helped by"), "helped_by"),
)

VISIT_COLUMNS = (
    moment(_("Planned at"), "planned_at"),
    choice(_("Visit"), "kind", Visit.Kind.choices),
    choice(_("Mode"), "mode", Visit.Mode.choices),
    text(_("Household"), "household__reference"),
    text(_("Contact person"), "household__contact_name"),
    address(_("Address"), "household__dwelling"),
    text(_("Postcode"), "household__dwelling__postcode"),
    person(_("Energy handyman"), "handyman"),
    moment(_("Done at"), "done_at"),
)

PACKAGE_COLUMNS = (
    number(_("Package"), "pk"),
    text(_("Household"), "household__reference"),
    address(_("Address"), "household__dwelling"),
    text(_("Postcode"), "household__dwelling__postcode"),
    choice(_("Status"), "status", Package.Status.choices),
    day(_("Proposed on"), "proposed_on"),
    person(_("Proposed by"), "proposed_by"),
    amount(_("Value"), "value"),
    amount(_("Limit per dwelling"), "limit"),
    amount(_("Received before"), "received_before"),
    person(_("Decided by"), "decided_by"),
    moment_day(_("Decided on"), "decided_at"),
    amount(_("Installed value"), "installed_value"),
    moment_day(_("Installed on"), "installed_at"),
)

LEDGER_COLUMNS = (
    number(_("No."), "pk"),
    day(_("Booking date"), "booked_on"),
    choice(_("Kind"), "kind", LedgerEntry.Kind.choices),
    amount(_("Amount"), "amount"),
    text(_("Budget line"), "line__name"),
    person(_("Booked by"), "booked_by"),
    number(_("Refers to"), "refers_to_id"),
    yes_no(_("Reversed"), "is_reversed"),
    text(_("Note"), "note"),
)

KINDS = {kind.name: kind for kind in (
    ListKind("households", _("Households"), "reports.export_households", household_rows, HOUSEHOLD_COLUMNS,
             "huishoudens"),
    ListKind("applications", _("Large-measure applications"), "reports.export_applications", application_rows,
             APPLICATION_COLUMNS, "aanvragen"),
    ListKind("queue", _("The queue of applications"), "reports.export_queue", queue_rows, APPLICATION_COLUMNS,
             "werkvoorraad"),
    ListKind("visits", _("Visits"), "reports.export_visits", visit_rows, VISIT_COLUMNS, "bezoeken"),
    ListKind("packages", _("Products packages"), "reports.export_packages", package_rows, PACKAGE_COLUMNS,
             "pakketten"),
    ListKind("ledger", _("Ledger"), "reports.export_ledger", ledger_rows, LEDGER_COLUMNS, "grootboek"),
)}


# --- Asking for an export, and who may have it -----------------------------------------------------------------


def ask_for_export(kind: ListKind, *, by, filters: QueryDict, file_format: str) -> ListExport:
    """Record the export and queue its task, in one transaction (the database task backend stores the task in it:
    no export without its task)."""
    ensure_may(by, kind.permission)
    with transaction.atomic():
        export = ListExport.objects.create(kind=kind.name, filters=dict(filters.lists()), file_format=file_format,
                                           requested_by=by)
        make_list_export.enqueue(export.pk)
    return export


def exports_of(user) -> QuerySet[ListExport]:
    """The list exports `user` asked for that are still kept (nobody else's)."""
    return ListExport.objects.filter(requested_by=user, requested_at__gte=timezone.now() - KEPT_FOR)


def filename(export: ListExport) -> str:
    stamp = f"{timezone.localtime(export.requested_at):%Y%m%d-%H%M}"
    return f"{KINDS[export.kind].file_stem}-{stamp}.{export.file_format}"


def clear_old_exports(now: datetime.datetime) -> int:
    """Delete the list exports older than `KEPT_FOR` (their files hold personal data); returns how many."""
    deleted, _per_model = ListExport.objects.filter(requested_at__lt=now - KEPT_FOR).delete()
    return deleted


# --- Writing ---------------------------------------------------------------------------------------------------


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Amount):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(spreadsheet_cell(value))


class CsvWriter:
    def __init__(self):
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, delimiter=";", lineterminator="\r\n")

    def header(self, headers: list[str]) -> None:
        self.writer.writerow([spreadsheet_cell(header) for header in headers])

    def rows(self, rows: list[list]) -> None:
        self.writer.writerows([[_csv_value(value) for value in row] for row in rows])

    def content(self) -> bytes:
        return self.buffer.getvalue().encode("utf-8-sig")


EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"})
XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        '<Relationship Id="rId2" Target="styles.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/></Relationships>'),
    # Cell styles: 0 plain, 1 an amount (#,##0.00), 2 a date, 3 a moment, 4 the header (bold).
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="3"><numFmt numFmtId="164" formatCode="#,##0.00"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/><numFmt numFmtId="166" formatCode="yyyy-mm-dd hh:mm"/>'
        '</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
        '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}


def _xlsx_cell(value) -> str:
    if value is None:
        return "<c/>"
    if isinstance(value, Amount):
        return f'<c s="1"><v>{value:.2f}</v></c>'
    if isinstance(value, datetime.datetime):
        days = (value - EXCEL_EPOCH) / datetime.timedelta(days=1)
        return f'<c s="3"><v>{days:.6f}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c s="2"><v>{(value - EXCEL_EPOCH.date()).days}</v></c>'
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return f"<c><v>{value}</v></c>"
    return _xlsx_text(spreadsheet_cell(value))


def _xlsx_text(text: str, style: str = "") -> str:
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{text.translate(XML_ESCAPES)}</t></is></c>'


class XlsxWriter:
    """An xlsx file of one sheet, its rows streamed into the zip as they come (text inline, numbers as numbers).

    Written here rather than with openpyxl: openpyxl writes XML through a pure-Python serializer at about 50 µs a
    cell, which made 100,000 households (1.5 million cells) take most of a minute; this takes a few seconds.
    """

    def __init__(self, title: str):
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", compression=zipfile.ZIP_DEFLATED)
        for name, text in XLSX_PARTS.items():
            self.zip.writestr(name, text)
        self.zip.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{title[:31].translate(XML_ESCAPES)}" sheetId="1" r:id="rId1"/></sheets>'
            '</workbook>'))
        self.sheet = io.TextIOWrapper(self.zip.open("xl/worksheets/sheet1.xml", "w"), encoding="utf-8")
        self.sheet.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                         '<sheetData>')

    def header(self, headers: list[str]) -> None:
        self.sheet.write("<row>" + "".join(_xlsx_text(spreadsheet_cell(header), ' s="4"') for header in headers)
                         + "</row>")

    def rows(self, rows: list[list]) -> None:
        self.sheet.write("".join("<row>" + "".join(_xlsx_cell(value) for value in row) + "</row>" for row in rows))

    def content(self) -> bytes:
        self.sheet.write("</sheetData></worksheet>")
        self.sheet.close()
        self.zip.close()
        return self.buffer.getvalue()


def write_export(export: ListExport, made: Making) -> bytes:
    """The export's file: the kind's rows for the user who asked, with the filters they had, chunk by chunk (how far
    it is recorded on `made` after each)."""
    kind = KINDS[export.kind]
    filters = QueryDict(mutable=True)
    for name, values in export.filters.items():
        filters.setlist(name, values)
    with override("nl"):
        writer = XlsxWriter(str(kind.title)) if export.file_format == FileFormat.XLSX else CsvWriter()
        writer.header([str(column.header) for column in kind.columns])
        rows = kind.values(export.requested_by, filters)
        total = rows.order_by().count()
        made.progress(rows_total=total)
        chunk, written = [], 0
        for row in rows.iterator(chunk_size=CHUNK):
            chunk.append([column.value(row) for column in kind.columns])
            if len(chunk) == CHUNK:
                written = _flush(writer, chunk, written, made)
                chunk = []
        written = _flush(writer, chunk, written, made)
    export.rows = written
    return writer.content()


def _flush(writer, chunk: list[list], written: int, made: Making) -> int:
    if chunk:
        writer.rows(chunk)
        written += len(chunk)
        made.progress(rows=written)
    return written


@task()
def make_list_export(export_id: int) -> int:
    """Make the export's file and record it in the audit trail; returns the number of rows."""
    now = timezone.now()
    clear_old_exports(now)
    export = ListExport.objects.select_related("requested_by").defer("content").filter(pk=export_id).first()
    if export is None:  # cleared meanwhile
        return 0
    with making(export) as made:
        content = write_export(export, made)
        with transaction.atomic():
            made.done(content, rows=export.rows)
            record_event(export, actor=export.requested_by, action="list_exported", list=export.kind,
                         filters=export.filters, rows=export.rows, file_format=export.file_format)
    return export.rows


def may_see(kind: ListKind, user) -> bool:
    return user.is_authenticated and rules.has_perm(kind.permission, user)

