"""Read-side queries of the budget: balances, programme totals, spending per month, reconciliation.

Balances shown on pages come from the cached totals on each line (one query); `reconcile` recomputes
them from the ledger itself and reports every difference, so a wrong cache cannot go unnoticed.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from budget.models import Balance, BudgetLine, FundingSource, LedgerEntry, LineMonth, Programme, ledger_effect

ZERO = Decimal("0.00")
Kind = LedgerEntry.Kind


def budget_lines(programme: Programme) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(programme=programme).select_related("programme").order_by("position", "pk")


def commitment_open_amount(commitment: LedgerEntry) -> Decimal:
    """What may still be paid or released on a commitment."""
    return LedgerEntry.objects.with_open_amount().values_list("open_amount", flat=True).get(pk=commitment.pk)


@dataclass(frozen=True)
class ProgrammeTotals:
    balance: Balance
    funding: Decimal
    sources: list = field(default_factory=list)

    @property
    def unallocated_funding(self) -> Decimal:
        """Funding not (yet) allocated to a line; negative when lines are given more than is funded."""
        return self.funding - self.balance.allocated


def programme_totals(programme: Programme, lines=None) -> ProgrammeTotals:
    """The sum of the lines against the sum of the funding sources."""
    if lines is None:
        lines = list(budget_lines(programme))
    balance = Balance.of(sum((line.allocated for line in lines), ZERO),
                         sum((line.committed_open for line in lines), ZERO),
                         sum((line.spent for line in lines), ZERO))
    sources = list(FundingSource.objects.filter(programme=programme).order_by("pk"))
    return ProgrammeTotals(balance=balance, funding=sum((s.amount for s in sources), ZERO), sources=sources)


def _with_effect_keys(queryset: QuerySet[LedgerEntry]) -> QuerySet:
    """Group entries by what decides their effect on a line (see `budget.models.ledger_effect`)."""
    return queryset.order_by().annotate(
        draws=ExpressionWrapper(Q(refers_to__isnull=False), output_field=BooleanField()),
        reversed_draws=ExpressionWrapper(Q(refers_to__refers_to__isnull=False), output_field=BooleanField()),
    )


def _effect_of_group(row) -> tuple[Decimal, Decimal]:
    reverses = (row["refers_to__kind"], bool(row["reversed_draws"])) if row["kind"] == Kind.REVERSAL else None
    return ledger_effect(row["kind"], row["total"], draws_on_commitment=bool(row["draws"]), reverses=reverses)


def monthly_spending(programme: Programme, *, line: BudgetLine | None = None) -> list[tuple[date, Decimal]]:
    """Net expenditure per calendar month of the booking date (reversals subtracted), oldest first.

    Read from the month summaries the services keep (`LineMonth`), not from the ledger itself.
    """
    months = LineMonth.objects.filter(line__programme=programme)
    if line is not None:
        months = months.filter(line=line)
    rows = (months.order_by().values("month").annotate(total=Sum("spent"), moved=Sum("spent", filter=~Q(spent=0)))
            .filter(moved__isnull=False).order_by("month"))
    return [(row["month"], row["total"]) for row in rows]


def ledger_months(line_ids, *, booked_from: date | None = None, booked_until: date | None = None) -> list[LineMonth]:
    """Each line's month summaries computed from its ledger entries alone (unsaved; for checks and rebuilds), of the
    entries booked from and until the dates given (both included)."""
    entries = LedgerEntry.objects.filter(line__in=list(line_ids))
    if booked_from is not None:
        entries = entries.filter(booked_on__gte=booked_from)
    if booked_until is not None:
        entries = entries.filter(booked_on__lte=booked_until)
    rows = (_with_effect_keys(entries).annotate(month=TruncMonth("booked_on"))
            .values("line_id", "month", "kind", "refers_to__kind", "draws", "reversed_draws")
            .annotate(total=Sum("amount"), number=Count("pk")))
    months: dict[tuple[int, date], LineMonth] = {}
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        summary = months.setdefault((row["line_id"], month), LineMonth(line_id=row["line_id"], month=month,
                                                                       committed=ZERO, spent=ZERO, entries=0))
        committed, spent = _effect_of_group(row)
        summary.committed += committed
        summary.spent += spent
        summary.entries += row["number"]
    return sorted(months.values(), key=lambda each: (each.line_id, each.month))


def ledger_totals(lines) -> dict[int, Balance]:
    """Each line's balance computed from its ledger entries alone (not from the cached totals)."""
    lines = list(lines)
    totals = {line.pk: [ZERO, ZERO] for line in lines}
    for month in ledger_months(line.pk for line in lines):
        totals[month.line_id][0] += month.committed
        totals[month.line_id][1] += month.spent
    return {line.pk: Balance.of(line.allocated, *totals[line.pk]) for line in lines}


@dataclass(frozen=True)
class LedgerPage:
    """One page of a line's ledger, newest first, found from where the neighbouring page ended (keyset).

    `older` and `newer` are the cursors of the neighbouring pages (None at either end); `total` is the
    line's entry count when no filter applies (kept by the services, never counted here).
    """

    entries: list
    older: str | None
    newer: str | None
    total: int | None


def _cursor(entry: LedgerEntry) -> str:
    return f"{entry.booked_on.isoformat()}.{entry.pk}"


def _parse_cursor(text: str | None) -> tuple[date, int] | None:
    try:
        day, pk = (text or "").split(".")
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def ledger_page(line: BudgetLine, entries: QuerySet[LedgerEntry], *, older_than: str | None = None,
                newer_than: str | None = None, size: int = 50, filtered: bool = False) -> LedgerPage:
    """The page of `entries` (a line's, maybe filtered) just older than one cursor or just newer than another.

    Only the shown rows get their details (who booked, open amount, reversed?): the keyset query reads
    the (line, booking date, id) index alone, however deep the page.
    """
    entries = entries.order_by()
    after, before = _parse_cursor(older_than), _parse_cursor(newer_than)
    if before is not None:
        day, pk = before
        ids = list(entries.filter(booked_on__gte=day).filter(Q(booked_on__gt=day) | Q(pk__gt=pk))
                   .order_by("booked_on", "pk").values_list("pk", flat=True)[:size + 1])
        has_newer, ids = len(ids) > size, ids[:size]
        has_older = bool(ids) and entries.filter(booked_on__lte=day).filter(
            Q(booked_on__lt=day) | Q(pk__lte=pk)).exists()
    else:
        if after is not None:
            day, pk = after
            entries = entries.filter(booked_on__lte=day).filter(Q(booked_on__lt=day) | Q(pk__lt=pk))
        ids = list(entries.order_by("-booked_on", "-pk").values_list("pk", flat=True)[:size + 1])
        has_older, ids = len(ids) > size, ids[:size]
        has_newer = after is not None
    shown = list(LedgerEntry.objects.with_details().with_open_amount().filter(pk__in=ids)
                 .order_by("-booked_on", "-pk"))
    if not shown:
        has_older = has_newer = False
    return LedgerPage(
        entries=shown,
        older=_cursor(shown[-1]) if has_older and shown else None,
        newer=_cursor(shown[0]) if has_newer and shown else None,
        total=None if filtered else line.entry_count,
    )


@dataclass(frozen=True)
class Reconciliation:
    line: BudgetLine
    cached: Balance
    from_ledger: Balance
    entries: int  # counted in the ledger
    months_differing: tuple[date, ...] = ()  # months whose kept summary differs from the ledger
    commitments: tuple[int, Decimal] = (0, ZERO)  # commitments not reversed, in the ledger: number, total

    @property
    def committed_difference(self) -> Decimal:
        return self.line.committed_open - self.from_ledger.committed

    @property
    def spent_difference(self) -> Decimal:
        return self.line.spent - self.from_ledger.spent

    @property
    def agrees(self) -> bool:
        return (not self.committed_difference and not self.spent_difference and self.line.entry_count == self.entries
                and not self.months_differing
                and (self.line.commitment_count, self.line.commitments_total) == self.commitments)

    @property
    def invariant_holds(self) -> bool:
        return self.from_ledger.committed >= 0 and self.from_ledger.spent >= 0 and self.from_ledger.available >= 0


def reconcile(programme: Programme | None = None) -> list[Reconciliation]:
    """Recompute every line's open commitments, spending, entry count and month summaries from the ledger and
    compare them with what the services keep."""
    lines = BudgetLine.objects.select_related("programme").order_by("programme__slug", "position", "pk")
    if programme is not None:
        lines = lines.filter(programme=programme)
    lines = list(lines)
    computed = {(month.line_id, month.month): month for month in ledger_months(line.pk for line in lines)}
    kept = {(month.line_id, month.month): month for month in LineMonth.objects.filter(line__in=lines)}
    standing = standing_commitments(line.pk for line in lines)
    results = []
    for line in lines:
        months = [month for (line_id, _), month in computed.items() if line_id == line.pk]
        differing = tuple(sorted(
            month for (line_id, month) in computed.keys() | kept.keys()
            if line_id == line.pk and _summary(kept.get((line_id, month))) != _summary(computed.get((line_id, month)))))
        from_ledger = Balance.of(line.allocated, sum((m.committed for m in months), ZERO),
                                 sum((m.spent for m in months), ZERO))
        results.append(Reconciliation(line=line, cached=line.balance(), from_ledger=from_ledger,
                                      entries=sum(m.entries for m in months), months_differing=differing,
                                      commitments=standing[line.pk]))
    return results


def _summary(month: LineMonth | None) -> tuple:
    return (ZERO, ZERO, 0) if month is None else (month.committed, month.spent, month.entries)


@dataclass(frozen=True)
class Target:
    reached: int | None  # None: no app counts this yet
    target: int

    @property
    def known(self) -> bool:
        return self.reached is not None

    @property
    def percentage(self) -> Decimal:
        if not self.target or self.reached is None:
            return Decimal("0.0")
        return (Decimal(self.reached) * 100 / self.target).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Forecast:
    """What the rest of the grants and products lines can still pay for, at the averages so far."""

    average_grant: Decimal
    average_grant_is_default: bool
    grants_available: Decimal
    more_large_measures: int
    average_product_spend: Decimal
    average_product_spend_is_default: bool
    product_spend_basis: str  # which progress measure the average is per
    products_available: Decimal
    more_dwellings: int
    households: Target
    large_measures: Target
    dwellings_equipped: Target  # against the households target: every household reached is to be equipped


def _line_of_kind(lines, kind) -> BudgetLine | None:
    return next((line for line in lines if line.kind == kind), None)


def average_grant(grants_line: BudgetLine | None) -> Decimal | None:
    """The average amount committed per grant on the grants line (commitments not reversed), or None."""
    if grants_line is None or not grants_line.commitment_count:
        return None
    return (grants_line.commitments_total / grants_line.commitment_count).quantize(Decimal("0.01"))


def standing_commitments(line_ids) -> dict[int, tuple[int, Decimal]]:
    """Per line, from the ledger: the number and total amount of its commitments that were not reversed."""
    line_ids = list(line_ids)
    rows = (LedgerEntry.objects.commitments().filter(line__in=line_ids).exclude(follow_ups__kind=Kind.REVERSAL)
            .order_by().values("line_id").annotate(total=Sum("amount"), number=Count("pk")))
    standing = {line_id: (0, ZERO) for line_id in line_ids}
    standing.update({row["line_id"]: (row["number"], row["total"]) for row in rows})
    return standing


def forecast(programme: Programme, lines=None) -> Forecast:
    from budget import progress

    if lines is None:
        lines = list(budget_lines(programme))
    grants = _line_of_kind(lines, BudgetLine.Kind.GRANTS)
    products = _line_of_kind(lines, BudgetLine.Kind.PRODUCTS)

    grant = average_grant(grants)
    grants_available = grants.available if grants else ZERO

    households_reached = progress.count(progress.HOUSEHOLDS_REACHED, programme)
    basis = progress.DWELLINGS_EQUIPPED if progress.is_registered(progress.DWELLINGS_EQUIPPED) \
        else progress.HOUSEHOLDS_REACHED
    equipped = progress.count(progress.DWELLINGS_EQUIPPED, programme)
    dwellings = households_reached if basis == progress.HOUSEHOLDS_REACHED else equipped
    product_spend = None
    if products is not None and products.spent > 0 and dwellings:
        product_spend = (products.spent / dwellings).quantize(Decimal("0.01"))
    products_available = products.available if products else ZERO

    average = grant or programme.default_average_grant
    per_dwelling = product_spend or programme.default_product_spend_per_dwelling
    return Forecast(
        average_grant=average, average_grant_is_default=grant is None, grants_available=grants_available,
        more_large_measures=int(max(grants_available, ZERO) // average),
        average_product_spend=per_dwelling, average_product_spend_is_default=product_spend is None,
        product_spend_basis=basis, products_available=products_available,
        more_dwellings=int(max(products_available, ZERO) // per_dwelling),
        households=Target(households_reached, programme.target_households),
        large_measures=Target(progress.count(progress.LARGE_MEASURES, programme), programme.target_large_measures),
        dwellings_equipped=Target(equipped, programme.target_households),
    )
