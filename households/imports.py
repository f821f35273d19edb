"""Registering households from a spreadsheet (xlsx or csv): every row checked, then all or nothing.

The template's columns have Dutch headers (`HEADERS`); the field names of the register's export
(`households.resources`) are read as well, so a file exported from one Warmhuis can be read by another.
Each row is checked by the same forms as the pages, so the errors are the pages' Dutch messages,
reported per row and column. The households are registered through the services (reference numbers,
audit events) in one transaction, which is kept only when every row is right: on PostgreSQL each part
of the file is written while the next ones are checked. See docs/households.md.
"""

import csv
import datetime
import gc
import io
import multiprocessing
import os
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import batched

import pandas as pd
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from python_calamine import CalamineError

from accounts.text import is_id, unescaped_cell
from budget.money import amount_text
from households import services
from households.forms import REFERENCE_FORMAT, AssignmentForm, ConsentForm, DwellingForm, RegistrationForm
from households.models import Consent, Dwelling, Household, HouseholdImport, PrivacyStatement
from households.validators import normalise_postcode

HOUSEHOLD_COLUMNS = ["reference", *RegistrationForm.Meta.fields[1:], "confirm_income"]
DWELLING_COLUMNS = DwellingForm.Meta.fields
PEOPLE_COLUMNS = ["handyman", "community_worker"]
CONSENT_COLUMNS = {"consent_statement_version": "statement_version", "consent_given_on": "given_on",
                   "consent_processing": "processing", "consent_share_address_level": "share_address_level"}
TEMPLATE_COLUMNS = [*HOUSEHOLD_COLUMNS, *DWELLING_COLUMNS, *PEOPLE_COLUMNS, *CONSENT_COLUMNS]
REQUIRED_COLUMNS = ["contact_name", "household_type", "referral_source", "street", "house_number", "postcode",
                    "city", "tenure"]
EXPORT_ONLY_COLUMNS = {"programme", "status", "created_at"}  # in an export, not read back
MAX_ROWS = 50_000
ROWS_KEPT_FOR = datetime.timedelta(hours=24)  # an import's file and rows (personal data) after its check or import
MAX_ERRORS = 1000
DECIMAL_COLUMNS = {"net_monthly_income", "floor_area_m2"}
DATE_COLUMNS = {"energy_label_date", "consent_given_on"}
YES_NO_COLUMNS = {"confirm_income", "consent_processing", "consent_share_address_level"}
# The template's column headers: Dutch, as the pages name the fields. The code names are read too.
HEADERS = {
    "reference": "Kenmerk", "contact_name": "Contactpersoon", "phone": "Telefoon", "email": "E-mail",
    "household_type": "Leefsituatie", "residents": "Aantal bewoners", "net_monthly_income": "Netto maandinkomen",
    "confirm_income": "Inkomen klopt", "energy_allowance": "Energietoeslag ontvangen",
    "referral_source": "Aangemeld via", "street": "Straat", "house_number": "Huisnummer",
    "house_letter": "Huisletter", "house_number_addition": "Toevoeging", "postcode": "Postcode", "city": "Plaats",
    "bag_id": "BAG-id", "energy_label": "Energielabel", "energy_label_date": "Datum label",
    "dwelling_type": "Woningtype", "build_year": "Bouwjaar", "floor_area_m2": "Gebruiksoppervlakte (m²)",
    "tenure": "Eigendom", "housing_corporation": "Woningcorporatie", "handyman": "Energieklusser",
    "community_worker": "Opbouwwerker", "consent_statement_version": "Versie privacyverklaring",
    "consent_given_on": "Toestemming gegeven op", "consent_processing": "Toestemming verwerking",
    "consent_share_address_level": "Toestemming delen op adresniveau",
}
# Text a spreadsheet reads as a formula when it begins with one of these (OWASP, "CSV injection"): refused in the
# columns of free text, so no cell of an import can run as a formula in a file the register is exported to later.
FORMULA_STARTS = ("=", "+", "-", "@")
FREE_TEXT_COLUMNS = {"contact_name", "email", "street", "city", "housing_corporation", "consent_statement_version"}
YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO = {"nee", "n", "no", "false", "onwaar", "0", ""}
FIRST_DATA_ROW = 2  # row 1 holds the column names
PROGRESS_EVERY = 1000  # rows between progress updates (a few a second)
FIRST_PART = 250  # rows checked (and on PostgreSQL written) first
PARALLEL_FROM = 5000  # rows from which checking in several processes saves more than starting them costs
CHECK_PROCESSES = min(2, os.cpu_count() or 1)  # processes that check a big file (see check_rows)
DEFAULTS = {"residents": "1", "energy_allowance": "unknown", "energy_label": "unknown"}  # for empty cells


class FileError(Exception):
    """The file as a whole cannot be read as a household list (nothing is registered)."""


@dataclass
class CheckedRow:
    row: int
    household: dict = field(default_factory=dict)
    dwelling: dict = field(default_factory=dict)
    consent: dict | None = None
    people: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    outcome: str = ""  # HouseholdImport.Outcome, decided once the file's references are known (`_Outcomes`)
    changes: list[dict] = field(default_factory=list)  # of a household the row updates: column, old, new
    reference: str = ""  # of a new household: the one it is registered under
    notes: list[str] = field(default_factory=list)  # what the coordinator should know, though nothing is wrong
    given: dict = field(default_factory=dict)  # the Kenmerk and name as the file has them, to name a refused row


def _header_key(header: str) -> str:
    return re.sub(r"[\s_]+", " ", str(header).strip().lower())


COLUMN_OF_HEADER = {_header_key(header): column for column, header in HEADERS.items()} | {
    _header_key(column): column for column in [*TEMPLATE_COLUMNS, *EXPORT_ONLY_COLUMNS]}


def _frame(content: bytes, filename: str) -> pd.DataFrame:
    if filename.lower().endswith(".xlsx"):
        try:
            return pd.read_excel(io.BytesIO(content), engine="calamine", dtype=str, keep_default_na=False)
        except (CalamineError, ValueError, zipfile.BadZipFile) as error:
            raise FileError(_("This file is not a readable Excel file (.xlsx). Open it in Excel and save it "
                              "again as .xlsx, or as .csv.")) from error
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")  # csv saved by a Dutch Excel
        except UnicodeDecodeError as error:
            raise FileError(_("This file is not a text file in UTF-8 (or Windows-1252). Save the list as "
                              "“CSV UTF-8”, or as .xlsx.")) from error
    try:
        return pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=str, keep_default_na=False)
    except (ValueError, csv.Error, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise FileError(_("This file cannot be read as a list with one household per row. Save it from the "
                          "template as .csv or .xlsx.")) from error


def _cell(value) -> str:
    """A cell as text; the apostrophe an export puts before text like "+31 6…" is taken off again."""
    return unescaped_cell(str(value).strip())


def read_table(content: bytes, filename: str) -> list[dict[str, str]]:
    """The file's rows as text per column (code name); raises FileError when it is not a usable list."""
    frame = _frame(content, filename)
    headers = [str(name).strip() for name in frame.columns]
    unknown = [header for header in headers if _header_key(header) not in COLUMN_OF_HEADER]
    if unknown:
        raise FileError(_("Unknown columns (check the spelling against the template): %(columns)s.")
                        % {"columns": ", ".join(unknown)})
    frame.columns = [COLUMN_OF_HEADER[_header_key(header)] for header in headers]
    missing = [HEADERS[name] for name in REQUIRED_COLUMNS if name not in frame.columns]
    if missing and "reference" not in frame.columns:  # with references, a file may change only some columns
        raise FileError(_("Columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if frame.columns.duplicated().any():
        twice = sorted({HEADERS.get(name, name) for name in frame.columns[frame.columns.duplicated()]})
        raise FileError(_("These columns appear twice: %(columns)s.") % {"columns": ", ".join(twice)})
    if len(frame) > MAX_ROWS:
        raise FileError(_("The file has %(rows)d rows; import at most %(max)d at a time.")
                        % {"rows": len(frame), "max": MAX_ROWS})
    if frame.empty:
        raise FileError(_("The file has no rows below the column names."))
    columns = list(frame.columns)
    return [dict(zip(columns, map(_cell, values), strict=True)) for values in frame.to_numpy(dtype=object).tolist()]


EXAMPLE_ROW = {"contact_name": "Mevrouw J. Jansen", "household_type": "Alleenstaande, AOW-leeftijd",
               "residents": "1", "net_monthly_income": "1385,00", "energy_allowance": "ja",
               "referral_source": "Inkomensconsulent", "street": "Larenseweg", "house_number": "12",
               "postcode": "1221 CN", "city": "Hilversum", "energy_label": "E", "tenure": "Eigenaar-bewoner",
               "consent_statement_version": "2022-1", "consent_given_on": "15-03-2023", "consent_processing": "ja"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_csv() -> str:
    """The template: the Dutch headers and one example row, separated by semicolons as a Dutch Excel reads them."""
    rows = [[HEADERS[column] for column in TEMPLATE_COLUMNS],
            [EXAMPLE_ROW.get(column, "") for column in TEMPLATE_COLUMNS]]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return "\ufeff" + out.getvalue()


def _choice_lookup(form_class, names) -> dict[str, dict[str, str]]:
    """Per choice column: its values, and their English and Dutch labels, each to the value."""
    lookup = {}
    for name in names:
        choices = form_class.base_fields[name].choices
        mapping = {}
        for language in ("en", "nl"):
            with translation.override(language):
                for value, label in choices:
                    if value != "":
                        mapping[str(label).strip().lower()] = value
        mapping.update({str(value).lower(): value for value, _label in choices if value != ""})
        lookup[name] = mapping
    return lookup


CHOICE_FIELDS = {"household_type": RegistrationForm, "energy_allowance": RegistrationForm,
                 "referral_source": RegistrationForm, "energy_label": DwellingForm, "dwelling_type": DwellingForm,
                 "tenure": DwellingForm}
CHOICES = {name: _choice_lookup(form_class, [name])[name] for name, form_class in CHOICE_FIELDS.items()}


def _choose_from(column: str) -> ValidationError:
    """The allowed values of a choice column, by their names in the requester's language."""
    labels = [str(label) for value, label in CHOICE_FIELDS[column].base_fields[column].choices if value != ""]
    return ValidationError(_("Choose from: %(choices)s.") % {"choices": ", ".join(labels)}, code="invalid_choice")


def allowed_values() -> list[tuple[str, str]]:
    """Per column with a fixed set of values or a format: its header and what it takes, in the current language."""
    values = [(HEADERS[column], "; ".join(str(label) for value, label in form_class.base_fields[column].choices
                                          if value != ""))
              for column, form_class in CHOICE_FIELDS.items()]
    values += [(HEADERS[column], _("ja or nee")) for column in sorted(YES_NO_COLUMNS, key=TEMPLATE_COLUMNS.index)]
    values += [(HEADERS[column], _("a date: 15-03-2023 or 2023-03-15"))
               for column in sorted(DATE_COLUMNS, key=TEMPLATE_COLUMNS.index)]
    values += [(HEADERS[column], _("a number with a decimal comma, e.g. 1385,00 or 1.385,50"))
               for column in sorted(DECIMAL_COLUMNS, key=TEMPLATE_COLUMNS.index)]
    values += [(HEADERS[column], _("a user name with this role"))
               for column in PEOPLE_COLUMNS]
    values += [(HEADERS["reference"], _("empty for a new household (the next number); the Kenmerk of a household of "
                                        "the programme to change it"))]
    return values


def template_xlsx() -> bytes:
    """The template as a workbook: the Dutch headers and the example row, and a second sheet with the allowed values
    per column (in the current language)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Households")
    sheet.append([HEADERS[column] for column in TEMPLATE_COLUMNS])
    sheet.append([EXAMPLE_ROW.get(column, "") for column in TEMPLATE_COLUMNS])
    sheet.freeze_panes = "A2"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(str(cell.value)) + 2)
    help_sheet = book.create_sheet(_("Allowed values"))
    help_sheet.append([_("Column"), _("Allowed values")])
    for header, text in allowed_values():
        help_sheet.append([header, text])
    help_sheet.column_dimensions["A"].width, help_sheet.column_dimensions["B"].width = 34, 120
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(column: str, text: str) -> str:
    """A cell as the forms expect it: choices by value or label, Dutch amounts and dates, ja/nee."""
    if column in CHOICES:
        if text and text.lower() not in CHOICES[column]:
            raise _choose_from(column)
        return CHOICES[column].get(text.lower(), text)
    if column in DECIMAL_COLUMNS:
        return amount_text(text)  # may raise ValidationError (ambiguous "1.385"): reported for the cell
    if column in DATE_COLUMNS:  # a date, so the form need not try each format of the language on the text
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}( 00:00:00)?", text):
            year, month, day = int(text[:4]), int(text[5:7]), int(text[8:10])
        elif match := re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text):
            day, month, year = (int(part) for part in match.groups())
        else:
            return text
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return text
    if column in YES_NO_COLUMNS:
        lowered = text.lower()
        return "on" if lowered in YES else "" if lowered in NO else text
    return text


def _reading(column: str, text: str) -> tuple:
    """(value, None) for a cell the forms can take; (text, messages) for one that cannot be read; (None, ()) for one
    of a column left out (an export's own columns, not read back)."""
    if column in EXPORT_ONLY_COLUMNS:
        return None, ()
    if not text and column in DEFAULTS:
        return DEFAULTS[column], None
    if column in FREE_TEXT_COLUMNS and text.startswith(FORMULA_STARTS):
        return text, [_("Text beginning with =, +, - or @ is read by a spreadsheet as a formula: remove that first "
                        "character.")]
    try:
        value = _value(column, text)
    except ValidationError as error:
        return text, error.messages
    return (DEFAULTS[column] if not value and column in DEFAULTS else value), None


def _report(checked: CheckedRow, form, columns: dict[str, str] | None = None) -> None:
    for name, messages in form.errors.items():
        column = (columns or {}).get(name, name) if name != "__all__" else ""
        checked.errors.extend({"row": checked.row, "column": column, "message": message} for message in messages)


class _RowCheck:
    """A page's form built once and bound to row after row: the same fields, validators and messages.

    A field's cleaning depends on its value alone (its form field, its `clean_<name>` method, its model field's
    validators), so each distinct value of a column is cleaned once per import and its outcome, the value or the
    error, reused for the other rows with that value (a list has a few dozen distinct household types, streets
    and years). What depends on more than one field, the form's `clean()`, runs for every row.

    The model's check constraints (income not negative, at least one resident, a positive floor area) are
    not asked of the database for every row (a query each): the model's field validators state the same
    rules with the pages' messages, and the database still enforces them when the rows are written.
    """

    remember = True  # False: every value cleaned anew, as a new form does (the tests compare the two)

    def validate_constraints(self):
        pass

    def validate_unique(self):
        pass  # the only unique value a row brings, its reference, is looked up for the whole file at once

    def bind(self, data: dict):
        """This form cleaned for `data`, as a new form bound to it would be."""
        self.data, self._errors = data, None
        if isinstance(self, forms.BaseModelForm) and (not self.remember or self.instance.pk is not None):
            self.instance = self._meta.model()  # a new record, as on the registration page (only Django's own
            # _post_clean writes the row's values into it)
        return self

    def _clean_fields(self):
        if not self.remember:
            return super()._clean_fields()
        outcomes = self.__dict__.setdefault("_field_outcomes", {})
        for name in self.fields:
            raw = self.data.get(name)
            known = outcomes.setdefault(name, {})
            if raw not in known:
                known[raw] = self._clean_field(name)
            value, error = known[raw]
            if error is None:
                self.cleaned_data[name] = value
            else:
                self.add_error(name, error)

    def _clean_field(self, name: str) -> tuple:
        """(value, None) or (None, error), as Form._clean_fields cleans the field."""
        try:
            self.cleaned_data[name] = self.fields[name]._clean_bound_field(self[name])
            if hasattr(self, f"clean_{name}"):
                self.cleaned_data[name] = getattr(self, f"clean_{name}")()
        except ValidationError as error:
            self.cleaned_data.pop(name, None)
            return None, error
        return self.cleaned_data.pop(name), None

    def _post_clean(self):
        """The model fields' validators on the cleaned values, as ModelForm._post_clean runs them.

        The models of these forms have no `clean()` of their own (asserted in the tests), so the instance
        built for each row would only carry the values to their fields' validators.
        """
        if not self.remember:
            return super()._post_clean()
        outcomes = self.__dict__.setdefault("_model_outcomes", {})
        if "_model_fields" not in self.__dict__:
            self._model_fields = [(field.name, field) for field in self._meta.model._meta.fields
                                  if field.name in self.fields]
        errors = {}
        cleaned, failed = self.cleaned_data, self._errors
        for name, model_field in self._model_fields:
            if name not in cleaned or name in failed:
                continue
            value = cleaned[name]
            if model_field.blank and value in model_field.empty_values:
                continue
            key = (name, value) if type(value) is str else (name, type(value), str(value))
            if key not in outcomes:
                try:
                    model_field.clean(value, None)
                    outcomes[key] = None
                except ValidationError as error:
                    outcomes[key] = error.error_list
            if outcomes[key] is not None:
                errors[name] = outcomes[key]
        if errors:
            self._update_errors(ValidationError(errors))


class _RegistrationCheck(_RowCheck, RegistrationForm):
    pass


class _DwellingCheck(_RowCheck, DwellingForm):
    pass


class _ConsentCheck(_RowCheck, ConsentForm):
    pass


class RowChecker:
    """Checks rows with the pages' forms, built once; what the forms would look up per row is looked up once.

    The programme is the import's, not a column: without it the registration form does not look each reference
    up in the register (`references_in_register` does that for the whole file). Handymen and community workers
    are found by user name in the assign page's lists; the privacy statement's version in the programme's register
    (`programme` given: without it, the version is checked when the row is registered).
    """

    def __init__(self, programme=None):
        self.household_form = _RegistrationCheck(data={})
        del self.household_form.fields["programme"]
        self.dwelling_form = _DwellingCheck(data={})
        self.consent_form = _ConsentCheck(data={})
        self.cell_values: dict[str, dict] = {}
        self.statement_versions = (None if programme is None else
                                   set(PrivacyStatement.objects.filter(programme=programme)
                                       .values_list("version", flat=True)))
        assignment = AssignmentForm()
        self.people = {column: {user.username: user for user in assignment.fields[column].queryset}
                       for column in PEOPLE_COLUMNS}

    def check(self, number: int, row: dict[str, str]) -> CheckedRow:
        """One row: the cleaned values, or its errors per column."""
        checked = CheckedRow(row=number, given={"reference": row.get("reference", ""),
                                                "contact_name": row.get("contact_name", "")})
        cells, unreadable = {}, {}
        for column, text in row.items():
            known = self.cell_values.setdefault(column, {})  # a cell's reading depends on its column and text alone
            if text not in known:
                known[text] = _reading(column, text)
            value, messages = known[text]
            if messages is None:
                cells[column] = value
            elif messages:
                cells[column], unreadable[column] = text, messages
        for column, value in DEFAULTS.items():
            cells.setdefault(column, value)  # a column the file leaves out

        household_form = self.household_form.bind({name: cells.get(name, "") for name in HOUSEHOLD_COLUMNS})
        if household_form.is_valid():
            checked.household = {name: household_form.cleaned_data[name] for name in HOUSEHOLD_COLUMNS}
        _report(checked, household_form)

        dwelling_form = self.dwelling_form.bind({name: cells.get(name, "") for name in DWELLING_COLUMNS})
        if dwelling_form.is_valid():
            checked.dwelling = dwelling_form.cleaned_data
        _report(checked, dwelling_form)

        if any(cells.get(column) for column in CONSENT_COLUMNS):
            self._check_consent(checked, cells)
        if any(cells.get(column) for column in PEOPLE_COLUMNS):
            self._check_people(checked, cells)
        # A cell that could not be read says why, instead of what the form made of its raw text.
        checked.errors = [error for error in checked.errors if error["column"] not in unreadable] + [
            {"row": number, "column": column, "message": message}
            for column, messages in unreadable.items() for message in messages]
        return checked

    def _check_consent(self, checked: CheckedRow, cells: dict) -> None:
        column_of = {name: column for column, name in CONSENT_COLUMNS.items()}
        consent_form = self.consent_form.bind({name: cells.get(column, "") for column, name in CONSENT_COLUMNS.items()})
        if consent_form.is_valid() and self.statement_versions is not None \
                and consent_form.cleaned_data["statement_version"] not in self.statement_versions:
            checked.errors.append({"row": checked.row, "column": "consent_statement_version", "message": _(
                "The programme has no privacy statement with this version: use a version from its register "
                "(Privacyverklaringen).")})
        elif consent_form.is_valid():
            answer = consent_form.cleaned_data
            try:  # as the consent page would answer for a household just registered
                services.check_consent_answer(Household.Status.REGISTERED, processing=answer["processing"],
                                              share_address_level=answer["share_address_level"])
                checked.consent = answer
            except ValidationError as error:
                checked.errors.extend({"row": checked.row, "column": column_of[name], "message": message}
                                      for name, messages in error.message_dict.items() for message in messages)
        _report(checked, consent_form, column_of)

    def _check_people(self, checked: CheckedRow, cells: dict) -> None:
        people = {column: self.people[column].get(cells.get(column, "")) for column in PEOPLE_COLUMNS}
        unknown = [column for column in PEOPLE_COLUMNS if cells.get(column) and people[column] is None]
        checked.errors.extend({"row": checked.row, "column": column,
                               "message": _("No active user with this user name has this role.")} for column in unknown)
        if not unknown:
            checked.people = people


def check_rows(rows: list[dict[str, str]], checker: RowChecker, *, beside_a_writer: bool = False
               ) -> Iterator[list[CheckedRow]]:
    """The rows checked, `PROGRESS_EVERY` at a time (`FIRST_PART` first), in order; a big file in other processes.

    Checking is pure computation once the checker has its lookups, so the parts of a big file are checked by
    processes forked from this one (they inherit the checker and use no database connection) and come back
    as plain values: `CHECK_PROCESSES` of them, or one fewer `beside_a_writer` (this process then registers
    each part as it comes, and needs a core for it). A small file, or a system without fork, is checked here.
    """
    # A short first part: the writer, and the status page, have something to go on sooner.
    starts = [0, *range(FIRST_PART, len(rows), PROGRESS_EVERY)] if len(rows) > FIRST_PART else [0]
    ends = [*starts[1:], len(rows)]
    parts = [(FIRST_DATA_ROW + start, rows[start:end]) for start, end in zip(starts, ends, strict=True)]
    processes = max(1, CHECK_PROCESSES - 1) if beside_a_writer else CHECK_PROCESSES
    if (len(rows) < PARALLEL_FROM or (processes < 2 and not beside_a_writer)
            or "fork" not in multiprocessing.get_all_start_methods()):
        for first, part in parts:
            yield [checker.check(first + index, row) for index, row in enumerate(part)]
        return
    global _forked_checker
    _forked_checker = checker
    language = translation.get_language()
    try:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
            for part in pool.map(_check_part, [language] * len(parts), parts):
                for each in part:  # the people as the checker's users again (they travel as user names)
                    each.people = {column: checker.people[column][name] if name else None
                                   for column, name in each.people.items()}
                yield part
    finally:
        _forked_checker = None


_forked_checker: RowChecker | None = None  # the checker a forked process inherits


def _check_part(language: str, part: tuple[int, list[dict[str, str]]]) -> list[CheckedRow]:
    first, rows = part
    with translation.override(language):
        checked = [_forked_checker.check(first + index, row) for index, row in enumerate(rows)]
    for each in checked:
        each.people = {column: user.username if user else None for column, user in each.people.items()}
    return checked


class RowRefused(Exception):
    """A service refused a checked row; `errors` in the form of the row checks."""

    def __init__(self, row: int, error: ValidationError):
        super().__init__(row)
        by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        self.errors = [{"row": row, "column": "" if column == "__all__" else column, "message": message}
                       for column, messages in by_field.items() for message in messages]


def given_references(rows: list[dict[str, str]]) -> list[str]:
    """The references the file gives, as the registration form reads them (a malformed one is that row's error)."""
    given = []
    for row in rows:
        reference = row.get("reference", "").strip().upper()
        if reference and REFERENCE_FORMAT.match(reference):
            given.append(reference)
    return given


def reserve_numbers(programme, rows: list[dict[str, str]]) -> list[str]:
    """The reference numbers the import hands out, taken before it starts, each way in a short transaction of its
    own: the file's own references move the programme's counter past them, then the rows without one get the
    next numbers. The registration's transaction, however long, then holds no lock that other registrations or
    bookings wait for. Numbers of an import that is refused go back (`services.return_references`) unless
    someone took a number after them meanwhile (then they are a gap in the numbering).
    """
    services.count_given_references(programme, given_references(rows))
    return services.reserve_references(programme, sum(1 for row in rows if not row.get("reference")))


def register_rows(rows: list[CheckedRow], *, programme, by, references: list[str]) -> int:
    """Register checked rows at once (`services.register_households_in_bulk`) under `references`: all, or none."""
    registrations = (
        services.Registration(
            household=checked.household, dwelling=checked.dwelling, reference=reference, consent=checked.consent,
            assignment={**checked.people, "note": _("From the import")} if checked.people else None)
        for checked, reference in zip(rows, references, strict=True))
    try:
        return services.register_households_in_bulk(registrations, programme=programme, by=by, fields_checked=True)
    except services.RegistrationRefused as refused:
        raise RowRefused(rows[refused.position].row, refused.error) from refused


def references_in_register(programme, references: list[str]) -> set[str]:
    """Those of `references` the programme's register already has (looked up a thousand at a time)."""
    found = set()
    for chunk in batched(sorted(set(references)), 1000):
        found.update(Household.objects.filter(programme=programme, reference__in=chunk)
                     .values_list("reference", flat=True))
    return found


def households_by_reference(programme, references: list[str]) -> dict[str, Household]:
    """The programme's households with these references, as a row of the file would change them: with their
    dwelling, people and the consent in force (`consent_in force`, None without), a thousand at a time."""
    found = {}
    for chunk in batched(sorted(set(references)), 1000):
        households = {household.pk: household for household in Household.objects.filter(
            programme=programme, reference__in=chunk).select_related("dwelling", "handyman", "community_worker")}
        for household in households.values():
            household.consent_in_force = None
        in_force = Consent.objects.filter(household_id__in=households, withdrawn_at=None).annotate(
            statement_version=F("statement__version"))  # compared with the file's column of that name
        for consent in in_force.order_by("given_on", "pk"):
            households[consent.household_id].consent_in_force = consent  # the newest one wins
        found.update({household.reference: household for household in households.values()})
    return found


def _shown(column: str, value) -> str:
    """A value as the dry run shows it, old or new: choices by their name, amounts and dates as people write them."""
    if value is None or value == "":
        return ""
    if column in CHOICE_FIELDS:
        return str(dict(CHOICE_FIELDS[column].base_fields[column].choices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if column in PEOPLE_COLUMNS:
        return value.username
    return str(value)


def _dwelling_value(household: Household, name: str):
    try:
        return getattr(household.dwelling, name)
    except Dwelling.DoesNotExist:
        return None


def changes_of(checked: CheckedRow, household: Household, columns: set[str]) -> list[dict]:
    """What a right row changes in the household it names: per column the file has, old and new where they differ."""
    pairs = [(name, getattr(household, name), checked.household[name])
             for name in services.HOUSEHOLD_FIELDS if name in columns]
    pairs += [(name, _dwelling_value(household, name),
               normalise_postcode(checked.dwelling[name]) if name == "postcode" else checked.dwelling[name])
              for name in services.DWELLING_FIELDS if name in columns]
    pairs += [(column, getattr(household, column), checked.people.get(column))
              for column in PEOPLE_COLUMNS if column in columns]
    if checked.consent is not None:
        in_force = household.consent_in_force
        pairs += [(column, getattr(in_force, name, None), checked.consent.get(name, False))
                  for column, name in CONSENT_COLUMNS.items()]
    return [{"column": column, "old": _shown(column, old), "new": _shown(column, new)}
            for column, old, new in pairs if old != new and not (old in (None, "") and new in (None, ""))]


def _complete_from(row: dict[str, str], household: Household) -> None:
    """The columns a row of an existing household leaves out, filled in with what the register has, so that the forms
    check the household as it will be (its people and consent are left out: they change only when given)."""
    if "net_monthly_income" not in row and "confirm_income" not in row:
        row["confirm_income"] = "ja"  # an income kept as it is was confirmed when it was entered
    for name in services.HOUSEHOLD_FIELDS:
        if name not in row:
            row[name] = _as_cell(getattr(household, name))
    for name in services.DWELLING_FIELDS:
        if name not in row:
            row[name] = _as_cell(_dwelling_value(household, name))


def _as_cell(value) -> str:
    """A stored value as a cell the import reads back to it."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _address(dwelling: dict) -> tuple:
    return (dwelling["postcode"], dwelling["house_number"], dwelling.get("house_letter", "").upper(),
            dwelling.get("house_number_addition", "").upper())


def households_at_addresses(programme, rows: list[dict[str, str]]) -> dict[tuple, str]:
    """The references of the programme's households at the addresses of the rows without a Kenmerk, by address
    (postcode, number, letter, addition): a row registering a new household there may be one already registered.
    Looked up by postcode and house number, a thousand at a time, so only the dwellings at those numbers are read."""
    keys = set()
    for row in rows:
        if not row.get("reference") and row.get("postcode") and is_id(row.get("house_number", "")):
            with suppress(ValidationError):  # the row's error
                keys.add(f"{normalise_postcode(row['postcode'])} {int(row['house_number'])}")
    names = ("postcode", "house_number", "house_letter", "house_number_addition")
    found = {}
    for chunk in batched(sorted(keys), 1000):
        dwellings = Dwelling.objects.annotate(
            address_key=Concat("postcode", Value(" "), Cast("house_number", CharField()), output_field=CharField())
        ).filter(household__programme=programme, postcode__in={key[:7] for key in chunk}, address_key__in=chunk)
        for reference, *address in dwellings.values_list("household__reference", *names):
            found.setdefault(_address(dict(zip(names, address, strict=True))), reference)
    return found


class _Outcomes:
    """What each row of the file does to the register, decided part by part in the file's order: refused (its
    errors, a reference that is also on an earlier row, or a consent the household's state does not allow),
    updated (the household of its reference, with the fields that change), unchanged, or created (noting a
    household of the programme at the same address, when the row has no Kenmerk)."""

    def __init__(self, existing: dict[str, Household], columns: set[str], addresses: dict[tuple, str]):
        self.existing, self.columns, self.addresses = existing, columns, addresses
        self.checked: list[CheckedRow] = []
        self.first_row: dict[str, int] = {}
        self.counts = dict.fromkeys(HouseholdImport.Outcome.values, 0)

    def add(self, part: list[CheckedRow]) -> None:
        for checked in part:
            self._decide(checked)
            self.counts[checked.outcome] += 1
        self.checked.extend(part)

    def _decide(self, checked: CheckedRow) -> None:
        reference = checked.household.get("reference")
        if reference and reference in self.first_row:
            checked.errors.append({"row": checked.row, "column": "reference", "message": _(
                "This reference is also on row %(row)d.") % {"row": self.first_row[reference]}})
        elif reference:
            self.first_row[reference] = checked.row
        household = self.existing.get(reference) if reference else None
        if household is not None and not checked.errors and checked.consent is not None:
            try:  # as the consent page would answer for this household as it is
                services.check_consent_answer(household.status, processing=checked.consent["processing"],
                                              share_address_level=checked.consent["share_address_level"])
            except ValidationError as error:
                column_of = {name: column for column, name in CONSENT_COLUMNS.items()}
                checked.errors.extend({"row": checked.row, "column": column_of[name], "message": message}
                                      for name, messages in error.message_dict.items() for message in messages)
        if checked.errors:
            checked.outcome = HouseholdImport.Outcome.REFUSED
        elif household is None:
            checked.outcome = HouseholdImport.Outcome.CREATED
            there = None if reference else self.addresses.get(_address({
                **checked.dwelling, "postcode": normalise_postcode(checked.dwelling["postcode"])}))
            if there:
                checked.notes = [_("The programme already has household %(reference)s at this address: to change "
                                   "that one instead, give its Kenmerk.") % {"reference": there}]
        else:
            checked.changes = changes_of(checked, household, self.columns)
            checked.outcome = HouseholdImport.Outcome.UPDATED if checked.changes else HouseholdImport.Outcome.UNCHANGED

    @property
    def refused(self) -> int:
        return self.counts[HouseholdImport.Outcome.REFUSED]

    def errors(self) -> list[dict]:
        return [error for checked in self.checked for error in checked.errors]

    def refuse(self, errors: list[dict]) -> None:
        """Rows the writing refused (a rule the checks could not see, a reference registered meanwhile)."""
        for checked in self.checked:
            own = [error for error in errors if error["row"] == checked.row]
            if own:
                self.counts[checked.outcome] -= 1
                checked.errors, checked.outcome = own, HouseholdImport.Outcome.REFUSED
                self.counts[checked.outcome] += 1

    def records(self) -> list[dict]:
        """Per row, for the job: the refused rows first, then the others in the file's order."""
        records = [{"row": checked.row, "outcome": checked.outcome,
                    "reference": (checked.reference or checked.household.get("reference")
                                  or checked.given.get("reference", "")),
                    "name": checked.household.get("contact_name") or checked.given.get("contact_name", ""),
                    "changes": [{**change, "header": HEADERS.get(change["column"], change["column"])}
                                for change in checked.changes],
                    "errors": [{"column": error["column"], "header": HEADERS.get(error["column"], error["column"]),
                                "message": error["message"]} for error in checked.errors],
                    "notes": checked.notes}
                   for checked in self.checked]
        return sorted(records, key=lambda record: (record["outcome"] != HouseholdImport.Outcome.REFUSED,
                                                   record["row"]))


def _update(job: HouseholdImport, **fields) -> None:
    HouseholdImport.objects.filter(pk=job.pk).update(**fields)


def _finish(job: HouseholdImport, status: str, *, errors=(), registered: int = 0, keep_content: bool = False,
            **progress) -> None:
    """The end of a dry run or an import; the uploaded file (personal data) is kept only for its import."""
    errors = [{**error, "header": HEADERS.get(error["column"], error["column"])} for error in list(errors)[:MAX_ERRORS]]
    if not keep_content:
        progress["content"] = None
    _update(job, status=status, errors=errors, registered=registered, finished_at=timezone.now(), **progress)


def forget_old_imports(now: datetime.datetime) -> int:
    """What an import holds of people is kept `ROWS_KEPT_FOR` after its dry run or import: then a checked file that
    was not imported is emptied and its import expires, and every finished import forgets its rows (names, old and
    new values); its counts and errors stay. Returns how many imports it changed. Run on every upload and every
    Importeren, so a stale file is never imported."""
    before = now - ROWS_KEPT_FOR
    expired = (HouseholdImport.objects.filter(status=HouseholdImport.Status.CHECKED, finished_at__lt=before)
               .update(status=HouseholdImport.Status.EXPIRED, content=None, outcomes=[]))
    forgotten = HouseholdImport.objects.filter(finished_at__lt=before).exclude(outcomes=[]).update(outcomes=[])
    return expired + forgotten


def check_import(job: HouseholdImport) -> None:
    """The dry run: check every row of the job's file and store what each would do, writing nothing to the register.

    The job ends checked (it may be imported, `run_import`) or rejected (a wrong file or a refused row: the file is
    emptied, and the coordinator uploads the corrected one).
    """
    _update(job, status=HouseholdImport.Status.CHECKING)
    try:
        with translation.override(job.language):
            _go_through(job, write=False)
    except Exception:
        _finish(job, HouseholdImport.Status.FAILED)
        raise


def run_import(job: HouseholdImport) -> int:
    """Check every row of the job's file again; register and update all of them, or none. Returns the number of
    households registered.

    Progress and the outcome are written to the job as it goes (the progress so that the status page
    sees it while the registration's transaction is open); an unexpected error marks it failed and is re-raised.
    """
    _update(job, status=HouseholdImport.Status.IMPORTING)
    try:
        with translation.override(job.language):
            return _go_through(job, write=True)
    except Exception:
        _finish(job, HouseholdImport.Status.FAILED)
        raise


def writes_while_checking() -> bool:
    """Whether the import registers each checked part while the next ones are checked: on PostgreSQL, where the
    progress can be written by a second connection while the registration's transaction is open. SQLite has one
    writer at a time: there the rows are registered after all of them are checked."""
    return connections[router.db_for_write(Household)].vendor == "postgresql"


class _Registering:
    """The writing of an import's checked rows, inside the transaction the caller holds: part by part while the rest
    is checked (`writes_while_checking`), or all at once at the end. New households are registered in bulk; a
    household the file changes is changed through the pages' services (one audit event per act), an unchanged one
    is not touched. A refused row stops the writing (the caller undoes what was written); the checks go on, so
    every refused row is reported."""

    def __init__(self, job: HouseholdImport, numbers: list[str], existing: dict[str, Household]):
        self.programme, self.by, self.numbers, self.existing = job.programme, job.requested_by, iter(numbers), existing
        self.registered, self.complete, self.refused, self.collided = 0, True, None, None

    def write(self, rows: list[CheckedRow]) -> None:
        """Write `rows`, unless the writing has stopped; `complete` is False once it has."""
        if not self.complete:
            return
        if any(checked.outcome == HouseholdImport.Outcome.REFUSED for checked in rows):
            self.complete = False
            return
        new = [checked for checked in rows if checked.outcome == HouseholdImport.Outcome.CREATED]
        for checked in new:
            checked.reference = checked.household.get("reference") or next(self.numbers)
        try:
            if new:
                self.registered += register_rows(new, programme=self.programme, by=self.by,
                                                 references=[checked.reference for checked in new])
            for checked in rows:
                if checked.outcome == HouseholdImport.Outcome.UPDATED:
                    self._change(checked)
        except RowRefused as refused:  # a rule the checks could not see
            self.complete, self.refused = False, refused
        except IntegrityError as error:  # e.g. a reference of the file registered by someone meanwhile
            self.complete, self.collided = False, error

    def _change(self, checked: CheckedRow) -> None:
        household = self.existing[checked.household["reference"]]
        changed = {change["column"] for change in checked.changes}
        try:
            household_changes = {name: checked.household[name] for name in services.HOUSEHOLD_FIELDS
                                 if name in changed}
            dwelling_changes = {name: checked.dwelling[name] for name in services.DWELLING_FIELDS if name in changed}
            if household_changes or dwelling_changes:
                services.update_household(household, by=self.by, household_changes=household_changes,
                                          dwelling_changes=dwelling_changes)
            if changed & set(PEOPLE_COLUMNS):
                people = {column: checked.people.get(column) if column in changed else getattr(household, column)
                          for column in PEOPLE_COLUMNS}
                services.assign_household(household, by=self.by, note=_("From the import"), **people)
            if changed & set(CONSENT_COLUMNS):
                services.record_consent(household, by=self.by, **{"share_address_level": False, **checked.consent})
        except ValidationError as error:
            raise RowRefused(checked.row, error) from error

    def errors(self, created_references: list[str]) -> list[dict]:
        """Why the writing stopped although every row was right: a rule the checks could not see, or a reference
        of the file that someone registered after the import looked them up (re-raised when none explains it)."""
        if self.refused is not None:
            return self.refused.errors
        taken = references_in_register(self.programme, created_references)
        if not taken:
            raise self.collided
        return [error for reference in sorted(taken)
                for error in RowRefused(created_references[reference], services.duplicate_reference_error()).errors]


@contextmanager
def _progress(job: HouseholdImport, *, own_connection: bool):
    """`report(rows_checked)`; with `own_connection`, written through a connection of its own, so the status page
    sees it while the registration's transaction (on the usual connection) is open."""
    if not own_connection:
        yield lambda rows_checked: _update(job, rows_checked=rows_checked)
        return
    alias = router.db_for_write(HouseholdImport)
    progress = connections.create_connection(alias)
    table, quote = HouseholdImport._meta.db_table, progress.ops.quote_name
    set_progress = f"UPDATE {quote(table)} SET {quote('rows_checked')} = %s WHERE {quote('id')} = %s"  # noqa: S608

    def report(rows_checked: int) -> None:
        with progress.cursor() as cursor:
            cursor.execute(set_progress, [rows_checked, job.pk])  # the model's names, quoted

    try:
        yield report
    finally:
        progress.close()


def _go_through(job: HouseholdImport, *, write: bool) -> int:
    """Check the job's file and decide each row's outcome; with `write`, write them all or none."""
    try:
        rows = read_table(bytes(job.content), job.filename)
    except FileError as error:
        _finish(job, HouseholdImport.Status.REJECTED, errors=[{"row": None, "column": "", "message": str(error)}])
        return 0
    _update(job, rows_total=len(rows), rows_checked=0)
    programme = job.programme
    existing = households_by_reference(programme, given_references(rows))
    outcomes = _Outcomes(existing, set(rows[0]), households_at_addresses(programme, rows))
    for row in rows:
        if (household := existing.get(row.get("reference", "").strip().upper())) is not None:
            _complete_from(row, household)
    numbers = reserve_numbers(programme, rows) if write else []
    along = write and writes_while_checking()
    registering = _Registering(job, numbers, existing)
    # The rows and their checks live until the end: the collector's full passes, set off by the tens of
    # thousands of records the write builds, need not go through them (and all else already here) again.
    gc.freeze()
    try:
        # Writing along, the transaction is open while the rows are checked; otherwise only for the write.
        with _progress(job, own_connection=along) as report, transaction.atomic() if along else nullcontext():
            for part in check_rows(rows, RowChecker(programme), beside_a_writer=along):
                outcomes.add(part)
                report(len(outcomes.checked))
                if along:
                    registering.write(part)
            del rows
            if along and (outcomes.refused or not registering.complete):
                transaction.set_rollback(True)
        if write and not along and not outcomes.refused:
            with transaction.atomic():
                registering.write(outcomes.checked)
                if not registering.complete:
                    transaction.set_rollback(True)
    finally:
        gc.unfreeze()
    if write and (outcomes.refused or not registering.complete):
        services.return_references(programme, numbers)
    if write and not outcomes.refused and not registering.complete:
        outcomes.refuse(registering.errors({
            checked.household["reference"]: checked.row for checked in outcomes.checked
            if checked.outcome == HouseholdImport.Outcome.CREATED and checked.household.get("reference")}))
    counts = {"created": outcomes.counts["created"], "updated": outcomes.counts["updated"],
              "unchanged": outcomes.counts["unchanged"], "refused": outcomes.refused,
              "rows_checked": len(outcomes.checked), "outcomes": outcomes.records()}
    if outcomes.refused:
        _finish(job, HouseholdImport.Status.REJECTED, errors=sorted(outcomes.errors(), key=lambda error: error["row"]),
                **counts)
        return 0
    if not write:
        _finish(job, HouseholdImport.Status.CHECKED, keep_content=True, **counts)
        return 0
    _finish(job, HouseholdImport.Status.DONE, registered=registering.registered, **counts)
    return registering.registered
