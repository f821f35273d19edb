"""The budget's business acts (DESIGN.md, "The budget ledger"): commit, release, spend, reverse, reallocate.

Each act is one transaction and one audit event, checks the actor's permission, validates the amount
before touching anything, and locks the budget line row (`select_for_update` on PostgreSQL; SQLite
runs every transaction IMMEDIATE, which serialises writers) before it reads the balance it decides on.
So, under any concurrency, for every line: open commitments + spent ≤ allocated. The database's check
constraint on the line backs this up if the code here were ever wrong.

A refused act raises a `budget.exceptions.BudgetError` with a sentence for the user; nothing is booked.

`release`, `commit` and `spend_commitment` also take `by=None`: a booking the system makes for an act it follows
from (the applicant withdrawing a granted application through their status link, a grant lapsing, a products
package approved by the rules within the limit per dwelling, the products a handyman installed). The calling
service has checked that act; the entry is booked by nobody and the source's history says who acted.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record_event
from accounts.roles import ensure_may
from accounts.text import no_control_characters_multiline
from budget.exceptions import (
    BudgetError,
    CommitmentExceeded,
    InsufficientBudget,
    InvalidAmount,
    NotReversible,
    ReallocationRefused,
    WrongEntry,
)
from budget.fields import amount_value
from budget.models import AMOUNT, BudgetLine, LedgerEntry, LineMonth, Reallocation
from budget.money import CENT, euro
from budget.selectors import ledger_months, standing_commitments

Kind = LedgerEntry.Kind
LARGEST_AMOUNT = Decimal(10) ** (AMOUNT["max_digits"] - AMOUNT["decimal_places"]) - CENT


def validate_amount(value) -> Decimal:
    """The amount as a Decimal with two decimals, or InvalidAmount (zero, negative, three decimals, not a number)."""
    if isinstance(value, float | bool):
        raise InvalidAmount(_("Enter the amount as a number with at most two decimals."))
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidAmount(_("Enter the amount as a number with at most two decimals.")) from None
    if not amount.is_finite():
        raise InvalidAmount(_("Enter the amount as a number with at most two decimals."))
    if amount <= 0:
        raise InvalidAmount(_("The amount must be greater than zero."))
    if amount != amount.quantize(CENT):
        raise InvalidAmount(_("The amount may have at most two decimals (whole cents)."))
    if amount > LARGEST_AMOUNT:
        raise InvalidAmount(_("The amount is too large."))
    return amount.quantize(CENT)


def validate_booking_date(booked_on: date | None) -> date:
    today = timezone.localdate()
    if booked_on is None:
        return today
    if booked_on > today:
        raise BudgetError(_("The booking date cannot be in the future."), field="booked_on")
    return booked_on


def _require_note(note: str, field: str = "note") -> str:
    note = (note or "").strip()
    if not note:
        raise BudgetError(_("Give a reason."), field=field)
    _check_text(note, field)
    return note


def _check_text(note: str, field: str = "note") -> None:
    """Notes and reasons are read back in pages and spreadsheets: no control characters (ESC, BEL, …)."""
    try:
        no_control_characters_multiline(note)
    except ValidationError as error:
        raise BudgetError(error.messages[0], field=field) from None


def _locked_line(line_pk: int) -> BudgetLine:
    """The line row, locked: bookings on one line take turns; other lines and the programme row stay free."""
    return BudgetLine.objects.select_for_update(of=("self",)).get(pk=line_pk)


def _open_amount(commitment: LedgerEntry) -> Decimal:
    return LedgerEntry.objects.with_open_amount().values_list("open_amount", flat=True).get(pk=commitment.pk)


def _book(line: BudgetLine, kind: str, amount: Decimal, *, by, booked_on: date, note: str = "",
          refers_to: LedgerEntry | None = None, source=None) -> LedgerEntry:
    """Append the entry and move the line's cached totals with it; `line` must be locked."""
    _check_text(note)
    entry = LedgerEntry(line=line, kind=kind, amount=amount, booked_on=booked_on, booked_by=by,
                        refers_to=refers_to, note=note)
    if source is not None:
        entry.source_type = ContentType.objects.get_for_model(source)
        entry.source_id = str(source.pk)
    committed, spent = entry.effect()
    if line.committed_open + committed + line.spent + spent > line.allocated:
        raise InsufficientBudget(
            _("Only %(available)s is available on “%(line)s”; %(amount)s is needed.")
            % {"available": euro(line.available), "line": line.name, "amount": euro(committed + spent)}
        )
    entry.save()
    commitments = _commitments_moved(entry)
    BudgetLine.objects.filter(pk=line.pk).update(
        committed_open=F("committed_open") + amount_value(committed), spent=F("spent") + amount_value(spent),
        entry_count=F("entry_count") + 1, commitment_count=F("commitment_count") + commitments,
        commitments_total=F("commitments_total") + amount_value(commitments * amount))
    _move_month(line, booked_on, committed, spent)
    line.committed_open += committed
    line.spent += spent
    line.entry_count += 1
    line.commitment_count += commitments
    line.commitments_total += commitments * amount
    return entry


def _commitments_moved(entry: LedgerEntry) -> int:
    """+1 for a commitment, −1 for the reversal of one, else 0 (the count of commitments still standing)."""
    if entry.kind == Kind.COMMITMENT:
        return 1
    if entry.kind == Kind.REVERSAL and entry.refers_to.kind == Kind.COMMITMENT:
        return -1
    return 0


def _move_month(line: BudgetLine, booked_on: date, committed: Decimal, spent: Decimal) -> None:
    """Keep the line's summary of the booking's month in step (the line is locked, so no one races us)."""
    month = booked_on.replace(day=1)
    moved = LineMonth.objects.filter(line=line, month=month).update(
        committed=F("committed") + amount_value(committed), spent=F("spent") + amount_value(spent),
        entries=F("entries") + 1)
    if not moved:
        LineMonth.objects.create(line=line, month=month, committed=committed, spent=spent, entries=1)


@transaction.atomic
def rebuild_line_totals(line: BudgetLine) -> BudgetLine:
    """Compute the line's cached totals, entry count and month summaries again from its ledger.

    For data brought in by bulk (the benchmark, a migration from another system) and for repairs after
    `reconcile_budget` found a difference; recorded in the audit trail as done by the system.
    """
    line = _locked_line(line.pk)
    months = ledger_months([line.pk])
    committed = sum((each.committed for each in months), Decimal("0.00"))
    spent = sum((each.spent for each in months), Decimal("0.00"))
    entries = sum(each.entries for each in months)
    standing = standing_commitments([line.pk])[line.pk]
    before = (str(line.committed_open), str(line.spent), line.entry_count, line.commitment_count,
              str(line.commitments_total))
    BudgetLine.objects.filter(pk=line.pk).update(committed_open=committed, spent=spent, entry_count=entries,
                                                 commitment_count=standing[0], commitments_total=standing[1])
    LineMonth.objects.filter(line=line).delete()
    LineMonth.objects.bulk_create(months)
    record_event(line, actor=None, action="budget.totals_rebuilt", before=before,
                 after=(str(committed), str(spent), entries, standing[0], str(standing[1])))
    line.refresh_from_db()
    return line


def _commitment_on(entry: LedgerEntry) -> LedgerEntry:
    if entry.kind != Kind.COMMITMENT:
        raise WrongEntry(_("Only a commitment can be released or paid against."))
    return entry


def _event(line: BudgetLine, entry: LedgerEntry, *, by, action: str, note: str) -> None:
    record_event(line, actor=by, action=action, note=note, entry=entry.pk, kind=entry.kind,
                 amount=str(entry.amount), refers_to=entry.refers_to_id)


@transaction.atomic
def commit(line: BudgetLine, amount, *, by, source=None, note: str = "", booked_on: date | None = None) -> LedgerEntry:
    """Reserve `amount` on the line (e.g. an approved grant); refused when less than that is available.

    `by=None`: the system books it for an act the calling service checked (a products package approved by the
    rules, within the limit per dwelling; see the module docstring).
    """
    if by is not None:
        ensure_may(by, "budget.commit_budget", line)
    amount = validate_amount(amount)
    booked_on = validate_booking_date(booked_on)
    line = _locked_line(line.pk)
    entry = _book(line, Kind.COMMITMENT, amount, by=by, booked_on=booked_on, note=note, source=source)
    _event(line, entry, by=by, action="budget.committed", note=note)
    return entry


@transaction.atomic
def release(commitment: LedgerEntry, amount=None, *, by, note: str = "", booked_on: date | None = None) -> LedgerEntry:
    """Give back (part of) what is still open on a commitment; all of it when `amount` is None.

    `by=None`: the system releases it for an act without a staff user (see the module docstring).
    """
    if by is not None:
        ensure_may(by, "budget.commit_budget", commitment.line)
    _commitment_on(commitment)
    amount = None if amount is None else validate_amount(amount)
    booked_on = validate_booking_date(booked_on)
    line = _locked_line(commitment.line_id)
    still_open = _open_amount(commitment)
    if amount is None:
        amount = still_open
    if still_open <= 0:
        raise CommitmentExceeded(_("Nothing is open on this commitment any more."))
    if amount > still_open:
        raise CommitmentExceeded(_("Only %(open)s is still open on this commitment; %(amount)s cannot be released.")
                                 % {"open": euro(still_open), "amount": euro(amount)})
    entry = _book(line, Kind.RELEASE, amount, by=by, booked_on=booked_on, note=note, refers_to=commitment,
                  source=commitment.source)
    _event(line, entry, by=by, action="budget.released", note=note)
    return entry


@transaction.atomic
def spend_commitment(commitment: LedgerEntry, amount, *, by, source=None, note: str = "",
                     booked_on: date | None = None) -> LedgerEntry:
    """Pay (part of) a commitment: at most what is still open on it; the rest may be released.

    `by=None`: the system books it for an act the calling service checked (the products a handyman installed).
    """
    if by is not None:
        ensure_may(by, "budget.book_expenditure", commitment.line)
    _commitment_on(commitment)
    amount = validate_amount(amount)
    booked_on = validate_booking_date(booked_on)
    line = _locked_line(commitment.line_id)
    still_open = _open_amount(commitment)
    if amount > still_open:
        raise CommitmentExceeded(_("Only %(open)s is still open on this commitment; %(amount)s cannot be paid.")
                                 % {"open": euro(still_open), "amount": euro(amount)})
    entry = _book(line, Kind.EXPENDITURE, amount, by=by, booked_on=booked_on, note=note, refers_to=commitment,
                  source=source if source is not None else commitment.source)
    _event(line, entry, by=by, action="budget.spent", note=note)
    return entry


@transaction.atomic
def spend_direct(line: BudgetLine, amount, *, by, source=None, note: str = "",
                 booked_on: date | None = None) -> LedgerEntry:
    """Book an expenditure without a prior commitment (e.g. the handymen's monthly invoice)."""
    ensure_may(by, "budget.book_expenditure", line)
    amount = validate_amount(amount)
    booked_on = validate_booking_date(booked_on)
    line = _locked_line(line.pk)
    entry = _book(line, Kind.EXPENDITURE, amount, by=by, booked_on=booked_on, note=note, source=source)
    _event(line, entry, by=by, action="budget.spent", note=note)
    return entry


@transaction.atomic
def reverse_entry(entry: LedgerEntry, *, by, note: str, booked_on: date | None = None) -> LedgerEntry:
    """Undo a whole entry with a counter-entry; the original stays in the ledger.

    A reversal cannot be reversed (book the entry again instead), an entry is reversed at most once, and
    a commitment only when nothing is drawn on it any more.
    """
    ensure_may(by, "budget.reverse_entry", entry.line)
    note = _require_note(note)
    booked_on = validate_booking_date(booked_on)
    line = _locked_line(entry.line_id)
    entry = LedgerEntry.objects.with_details().select_related("refers_to").get(pk=entry.pk)
    if entry.kind == Kind.REVERSAL:
        raise NotReversible(_("A reversal cannot be reversed; book the original entry again instead."))
    if entry.is_reversed:
        raise NotReversible(_("This entry has already been reversed."))
    if entry.kind == Kind.COMMITMENT and _open_amount(entry) != entry.amount:
        raise NotReversible(_("Something has been paid or released on this commitment; reverse that first, "
                              "or release what is still open."))
    reversal = _book(line, Kind.REVERSAL, entry.amount, by=by, booked_on=booked_on, note=note, refers_to=entry,
                     source=entry.source)
    _event(line, reversal, by=by, action="budget.reversed", note=note)
    return reversal


@transaction.atomic
def reallocate(from_line: BudgetLine, to_line: BudgetLine, amount, *, by, reason: str) -> Reallocation:
    """Move allocated money between two lines of one programme, never below what a line has used."""
    ensure_may(by, "budget.reallocate_budget", from_line.programme)
    amount = validate_amount(amount)
    reason = _require_note(reason, field="reason")
    if from_line.pk == to_line.pk:
        raise ReallocationRefused(_("Choose two different budget lines."), field="to_line")
    if from_line.programme_id != to_line.programme_id:
        raise ReallocationRefused(_("Both lines must belong to the same programme."), field="to_line")
    locked = {line.pk: line for line in BudgetLine.objects.select_for_update().filter(
        pk__in=[from_line.pk, to_line.pk]).order_by("pk")}
    source, target = locked[from_line.pk], locked[to_line.pk]
    if source.allocated - amount < source.used:
        raise ReallocationRefused(
            _("“%(line)s” has %(used)s committed and spent; at most %(free)s can be moved from it.")
            % {"line": source.name, "used": euro(source.used), "free": euro(source.available)}
        )
    BudgetLine.objects.filter(pk=source.pk).update(allocated=F("allocated") - amount_value(amount))
    BudgetLine.objects.filter(pk=target.pk).update(allocated=F("allocated") + amount_value(amount))
    reallocation = Reallocation.objects.create(programme_id=source.programme_id, from_line=source, to_line=target,
                                               amount=amount, reason=reason, by=by)
    record_event(reallocation, actor=by, action="budget.reallocated", note=reason, amount=str(amount),
                 from_line=source.pk, to_line=target.pk)
    return reallocation
