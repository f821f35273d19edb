"""Numbers for the server-rendered SVG bars and charts (no JavaScript; the CSP forbids style attributes).

Positions are returned as strings with a decimal point, so that Dutch number formatting in templates
cannot turn them into invalid SVG attributes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import formats

from budget.models import Balance

HUNDRED = Decimal(100)


def _share(part: Decimal, whole: Decimal) -> Decimal:
    if not whole or part <= 0:
        return Decimal("0.00")
    return min(part * HUNDRED / whole, HUNDRED).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class StackedBar:
    """A horizontal bar of 100 units: spent, then committed, then available."""

    spent: str
    committed: str
    committed_x: str
    available: str
    available_x: str


def stacked_bar(balance: Balance) -> StackedBar:
    spent = _share(balance.spent, balance.allocated)
    committed = _share(balance.committed, balance.allocated)
    available = max(HUNDRED - spent - committed, Decimal("0.00"))
    return StackedBar(spent=str(spent), committed=str(committed), committed_x=str(spent),
                      available=str(available), available_x=str(spent + committed))


def progress(value: int | Decimal, target: int | Decimal) -> str:
    """Width (0–100) of a progress bar."""
    return str(_share(Decimal(value), Decimal(target)))


@dataclass(frozen=True)
class MonthBar:
    month: date
    label: str
    amount: Decimal
    x: str
    y: str
    height: str


CHART_HEIGHT = 200
BAR_WIDTH = 30
BAR_GAP = 10


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s month up to and including `last`'s."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def monthly_bars(series: list[tuple[date, Decimal]]) -> dict:
    """A column per month from the first to the last month with spending (empty months included)."""
    if not series:
        return {"bars": [], "width": 0, "height": CHART_HEIGHT, "maximum": Decimal("0.00")}
    amounts = dict(series)
    months = months_between(series[0][0], series[-1][0])
    maximum = max(max(amounts.values()), Decimal("0.01"))
    bars = []
    for index, month in enumerate(months):
        amount = amounts.get(month, Decimal("0.00"))
        height = (max(amount, Decimal(0)) * CHART_HEIGHT / maximum).quantize(Decimal("0.1"))
        bars.append(MonthBar(month=month, label=formats.date_format(month, "M y"), amount=amount,
                             x=str(index * (BAR_WIDTH + BAR_GAP) + BAR_GAP // 2),
                             y=str(Decimal(CHART_HEIGHT) - height), height=str(height)))
    return {"bars": bars, "width": len(months) * (BAR_WIDTH + BAR_GAP), "height": CHART_HEIGHT,
            "bar_width": BAR_WIDTH, "maximum": maximum}
