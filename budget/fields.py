"""Amounts in euros, exact in every database: a Decimal in Python, whole cents (bigint) in the database.

SQLite keeps a DECIMAL column as a binary float, so sums, differences and check constraints drift
(€100.10 − €100.00 became 0.0999999999999943; ten times €0.10 became 0.9999999999999999, and a
commitment of exactly what was available broke the "never over-committed" constraint). Stored as integer
cents, every sum, comparison and constraint is integer arithmetic on SQLite and PostgreSQL alike.

For Django's forms, the admin and DRF the field is a DecimalField with two decimals (import-export picks
widgets by database type: `accounts.admin.AuditedResource` reads it as a decimal):
the value is a `Decimal` such as `Decimal("100.10")`. Only the database sees 10010. A value with a
fraction of a cent is refused rather than rounded (rounding happens once, in the calculation).

Expressions: F("a") + F("b") and F("a") - F("b") of two amounts are amounts (registered below); an
annotation that mixes amounts with other numbers needs `output_field=AmountField()` spelled out.
"""

from decimal import Decimal

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.expressions import Combinable, _connector_combinators, _resolve_combined_type

CENTS_PER_EURO = 100
CENT = Decimal("0.01")


class AmountField(models.DecimalField):
    description = "An amount in euros with two decimals, stored as whole cents"

    def __init__(self, *args, max_digits=12, decimal_places=2, **kwargs):
        super().__init__(*args, max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for fixed in ("max_digits", "decimal_places"):
            kwargs.pop(fixed, None)
        return name, path, args, kwargs

    def get_internal_type(self):
        # What the database stores and computes with (column type, casts, converters): whole cents.
        return "BigIntegerField"

    def get_db_prep_value(self, value, connection, prepared=False):
        if hasattr(value, "as_sql"):
            return value
        if not prepared:
            value = self.get_prep_value(value)
        return to_cents(value)

    def from_db_value(self, value, expression, connection):
        return from_cents(value)


def to_cents(value: Decimal | None) -> int | None:
    """`Decimal("100.10")` → 10010; a fraction of a cent is a programming error, not something to round."""
    if value is None:
        return None
    cents = Decimal(value) * CENTS_PER_EURO
    if cents != cents.to_integral_value():
        raise ValueError(f"{value} has a fraction of a cent; round the calculation to the cent first.")
    return int(cents)


def from_cents(value) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(int(value)) / CENTS_PER_EURO).quantize(CENT)


def amount_value(value: Decimal) -> models.Value:
    """A literal amount in a query expression, e.g. `F("spent") + amount_value(Decimal("12.50"))`."""
    return models.Value(value, output_field=AmountField())


class _PlainDecimalWithAmount(models.DecimalField):
    def __init__(self, *args, **kwargs):
        raise FieldError("An amount (whole cents in the database) was combined with a plain decimal (euros): "
                         "wrap the literal in budget.fields.amount_value() or give output_field=AmountField().")


# Sums and differences of two amounts are amounts (else Django would make them a plain DecimalField and
# read the cents as euros); an amount and a plain decimal cannot be added at all (cents + euros). Put
# first, so that they win over Django's DecimalField rules.
for _connector in (Combinable.ADD, Combinable.SUB):
    _connector_combinators[_connector][:0] = [
        (AmountField, AmountField, AmountField),
        (AmountField, models.DecimalField, _PlainDecimalWithAmount),
        (models.DecimalField, AmountField, _PlainDecimalWithAmount),
    ]
_resolve_combined_type.cache_clear()
