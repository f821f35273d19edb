"""Money: Decimal inside, constructed from strings, rounded half-up to the cent once, at the end.

`euro()` formats an amount for people (Dutch style: € 1.360,75); `Money(..., "EUR")` from
django-money is used at the edges (forms, display), never for arithmetic inside.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
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


def amount_text(text: str) -> str:
    """An amount as people write it (16500, 16500,00, 16.500,00, € 16.500,00) as Decimal text ('16500.00').

    With a decimal comma, dots are thousands separators. Without one, "16.500" is ambiguous (sixteen
    thousand five hundred, or sixteen and a half?) and refused rather than read wrongly.
    """
    text = text.replace("€", "").replace("\xa0", "").replace(" ", "").strip()
    if "," in text:
        return text.replace(".", "").replace(",", ".")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        raise ValidationError(
            _("Write the amount without a thousands dot, or with cents: e.g. 16500 or 16.500,00."), code="ambiguous")
    return text
