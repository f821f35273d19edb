"""Money: Decimal inside, constructed from strings, rounded half-up to the cent once, at the end.

`euro()` formats an amount for people (Dutch style: € 1.360,75); `Money(..., "EUR")` from
django-money is used at the edges (forms, display), never for arithmetic inside.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from djmoney.money import Money
from moneyed.l10n import format_money

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Round to the cent, half up. Call once, at the end of a calculation."""
    if isinstance(amount, float):
        raise TypeError("Money is never a float; construct Decimals from strings.")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def euro(amount: Decimal | None) -> str:
    """'€ 1.360,75' in Dutch, '€1,360.75' in English; an empty string for None."""
    if amount is None:
        return ""
    locale = "nl_NL" if (get_language() or "nl").startswith("nl") else "en_GB"
    return format_money(Money(to_cents(amount), "EUR"), locale=locale)
