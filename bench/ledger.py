"""A busy ledger: commitments, payments against them, releases, direct expenditures and a few reversals.

Most entries fall on a few busy lines (products, grants, the handymen's invoices). Each line's entries
come in the chains the services book (a grant committed, then paid, perhaps for less with the rest
released; a direct invoice; now and then a reversal), dated over the programme's years up to
yesterday. The generator keeps each line's open commitments and spending as it writes, in the order
of the entries' ids, and never lets them pass the allocation: what the services would have refused
is never written.
"""

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal

from accounts.bulk import insert_rows
from bench.bulk import next_id, reset_sequence
from budget.models import BudgetLine, LedgerEntry, Programme, ledger_effect

Kind = LedgerEntry.Kind
# Share of all entries per line kind: most on products (~310,000 of a million), grants and the handymen.
LINE_SHARES = {
    BudgetLine.Kind.PRODUCTS: 0.31, BudgetLine.Kind.GRANTS: 0.22, BudgetLine.Kind.HANDYMEN: 0.16,
    BudgetLine.Kind.WELFARE: 0.09, BudgetLine.Kind.EXECUTION: 0.09, BudgetLine.Kind.COMMUNICATION: 0.08,
    BudgetLine.Kind.ASSESSORS: 0.05,
}
COMMITTING_LINES = {BudgetLine.Kind.PRODUCTS, BudgetLine.Kind.GRANTS, BudgetLine.Kind.ASSESSORS}
# (chain, weight): a chain is the entries one case books on a line, in order.
COMMITMENT_CHAINS = [("paid", 45), ("paid_in_part", 10), ("open", 8), ("direct", 30), ("paid_then_reversed", 2),
                     ("direct_reversed", 2), ("commitment_reversed", 3)]
INVOICE_CHAINS = [("direct", 97), ("direct_reversed", 3)]
ENTRIES_PER_CHAIN = {"paid": 2, "paid_in_part": 3, "open": 1, "direct": 1, "paid_then_reversed": 3,
                     "direct_reversed": 2, "commitment_reversed": 2}
USED_SHARE = Decimal("0.7")  # of each line's allocation, on average, when the ledger is written
NOTES = {Kind.COMMITMENT: "Beschikking", Kind.EXPENDITURE: "Factuur", Kind.RELEASE: "Rest vrijgevallen",
         Kind.REVERSAL: "Onjuist geboekt"}


def write_entries(programme: Programme, bookers: list, count: int, rng: random.Random, *, say) -> dict:
    """Write `count` entries over the programme's lines; returns each line's (open commitments, spent) in cents."""
    lines = {line.kind: line for line in BudgetLine.objects.filter(programme=programme)}
    counts = {kind: int(count * share) for kind, share in LINE_SHARES.items() if kind in lines}
    counts[BudgetLine.Kind.PRODUCTS] += count - sum(counts.values())
    first_day, last_day = programme.starts_on, datetime.date.today() - datetime.timedelta(days=1)
    totals, next_pk = {}, next_id(LedgerEntry)
    for kind, number in counts.items():
        line = LineLedger(lines[kind], number, first_pk=next_pk, days=(first_day, last_day),
                          bookers=[booker.pk for booker in bookers], rng=rng)
        insert_rows(LedgerEntry, line.entries(), own_ids=True)
        next_pk += number
        totals[line.line.pk] = (int(line.committed), int(line.spent))
        say(f"  {number:,} entries on {line.line.name}")
    reset_sequence(LedgerEntry)
    return totals


class LineLedger:
    """The entries of one line, generated chain by chain, with the line's running totals in cents."""

    def __init__(self, line: BudgetLine, count: int, *, first_pk: int, days: tuple, bookers: list[int], rng):
        self.line, self.count, self.pk, self.rng = line, count, first_pk, rng
        self.first_day, self.last_day = days
        self.bookers = bookers
        self.allocated = int(line.allocated * 100)
        self.committed = self.spent = 0
        chains = COMMITMENT_CHAINS if line.kind in COMMITTING_LINES else INVOICE_CHAINS
        self.chains, self.weights = zip(*chains, strict=True)
        entries_per_chain = sum(ENTRIES_PER_CHAIN[name] * weight for name, weight in chains) / sum(self.weights)
        self.typical_amount = max(100, int(self.allocated * USED_SHARE * Decimal(entries_per_chain) / max(count, 1)))

    def entries(self) -> Iterator[dict]:
        written = 0
        while written < self.count:
            for entry in self._chain(self.rng.choices(self.chains, self.weights)[0]):
                yield entry
                written += 1
                if written == self.count:  # a chain cut short is still a valid ledger (e.g. an open commitment)
                    return

    def _chain(self, name: str) -> Iterator[dict]:
        day = self._day()
        amount = self._amount()
        if name in ("direct", "direct_reversed"):
            expenditure = self._entry(Kind.EXPENDITURE, amount, day)
            yield expenditure
            if name == "direct_reversed":
                yield self._entry(Kind.REVERSAL, amount, self._later(day, 30), refers_to=expenditure)
            return
        commitment = self._entry(Kind.COMMITMENT, amount, day)
        yield commitment
        if name == "commitment_reversed":
            yield self._entry(Kind.REVERSAL, amount, self._later(day, 30), refers_to=commitment)
        elif name in ("paid", "paid_then_reversed"):
            paid_on = self._later(day, 120)
            payment = self._entry(Kind.EXPENDITURE, amount, paid_on, refers_to=commitment)
            yield payment
            if name == "paid_then_reversed":
                yield self._entry(Kind.REVERSAL, amount, self._later(paid_on, 30), refers_to=payment)
        elif name == "paid_in_part" and amount > 1:
            paid = self.rng.randint(1, amount - 1)
            paid_on = self._later(day, 120)
            yield self._entry(Kind.EXPENDITURE, paid, paid_on, refers_to=commitment)
            yield self._entry(Kind.RELEASE, amount - paid, paid_on, refers_to=commitment)

    def _entry(self, kind: str, cents: int, booked_on: datetime.date, *, refers_to: dict | None = None) -> dict:
        reverses = None
        if kind == Kind.REVERSAL:
            reverses = (refers_to["kind"], refers_to["refers_to_id"] is not None)
        committed, spent = ledger_effect(kind, cents, draws_on_commitment=refers_to is not None, reverses=reverses)
        self.committed += committed
        self.spent += spent
        if self.committed + self.spent > self.allocated:
            raise AssertionError(f"The bench would over-commit {self.line}; lower USED_SHARE.")
        entry = {
            "id": self.pk, "line_id": self.line.pk, "kind": kind, "amount": Decimal(cents).scaleb(-2),
            "booked_on": booked_on, "booked_at": datetime.datetime.combine(
                booked_on, datetime.time(9, self.rng.randrange(60)), datetime.UTC),
            "booked_by_id": self.rng.choice(self.bookers), "refers_to_id": refers_to["id"] if refers_to else None,
            "source_type_id": None, "source_id": "", "note": f"{NOTES[kind]} {self.line.kind}-{self.pk}",
        }
        self.pk += 1
        return entry

    def _amount(self) -> int:
        """A typical amount in cents, less when the line has not that much left (never over-committed)."""
        room = self.allocated - self.committed - self.spent
        if room < 1:
            raise AssertionError(f"The bench has used up {self.line}; lower USED_SHARE.")
        return min(room, self.rng.randint(self.typical_amount // 2, self.typical_amount * 3 // 2))

    def _day(self) -> datetime.date:
        return self.first_day + datetime.timedelta(days=self.rng.randrange((self.last_day - self.first_day).days))

    def _later(self, day: datetime.date, at_most: int) -> datetime.date:
        return min(self.last_day, day + datetime.timedelta(days=self.rng.randint(1, at_most)))
