"""Why: SQLite keeps DECIMAL columns as binary floats, so the ledger's sums and the line's
"never over-committed" constraint were inexact there (issue 9: €100.10 − €100.00 released as
0.0999999999999943; committing exactly what was available refused by the constraint). Every amount of
the budget is now stored as whole cents (bigint), see budget/fields.py.

The stored values are multiplied by 100 first (PostgreSQL converts the column type in the same
statement), then the fields change type. On SQLite changing a field rebuilds the table, which drops
the ledger's append-only triggers: they are installed again at the end.
"""


import budget.fields
import django.core.validators
from decimal import Decimal
from django.db import migrations


COLUMNS = {
    "budget_programme": ["default_average_grant", "default_product_spend_per_dwelling"],
    "budget_budgetline": ["allocated", "committed_open", "spent"],
    "budget_fundingsource": ["amount"],
    "budget_ledgerentry": ["amount"],
    "budget_reallocation": ["amount"],
}


def to_cents(apps, schema_editor):
    from budget.ledger_guard import remove_triggers

    quote = schema_editor.quote_name
    for table, columns in COLUMNS.items():
        if schema_editor.connection.vendor == "postgresql":
            changes = ", ".join(f"ALTER COLUMN {quote(c)} TYPE bigint USING round({quote(c)} * 100)::bigint"
                                for c in columns)
            schema_editor.execute(f"ALTER TABLE {quote(table)} {changes}")
        else:
            remove_triggers(schema_editor)
            changes = ", ".join(f"{quote(c)} = CAST(ROUND({quote(c)} * 100) AS INTEGER)" for c in columns)
            schema_editor.execute(f"UPDATE {quote(table)} SET {changes}")


def to_euros(apps, schema_editor):
    from budget.ledger_guard import install_triggers, remove_triggers

    quote = schema_editor.quote_name
    remove_triggers(schema_editor)
    for table, columns in COLUMNS.items():
        changes = ", ".join(f"{quote(c)} = {quote(c)} / 100.0" for c in columns)
        schema_editor.execute(f"UPDATE {quote(table)} SET {changes}")
    install_triggers(schema_editor)


def install_sqlite_triggers(apps, schema_editor):
    from budget.ledger_guard import install_triggers

    if schema_editor.connection.vendor == "sqlite":
        install_triggers(schema_editor)


def remove_sqlite_triggers(apps, schema_editor):
    from budget.ledger_guard import remove_triggers

    if schema_editor.connection.vendor == "sqlite":
        remove_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('budget', '0006_allocation_never_below_committed_message'),
    ]

    operations = [
        migrations.RunPython(to_cents, to_euros, elidable=False),
        migrations.AlterField(
            model_name='budgetline',
            name='allocated',
            field=budget.fields.AmountField(validators=[django.core.validators.MinValueValidator(Decimal('0.00'))], verbose_name='allocated'),
        ),
        migrations.AlterField(
            model_name='budgetline',
            name='committed_open',
            field=budget.fields.AmountField(default=Decimal('0.00'), editable=False, verbose_name='committed (open)'),
        ),
        migrations.AlterField(
            model_name='budgetline',
            name='spent',
            field=budget.fields.AmountField(default=Decimal('0.00'), editable=False, verbose_name='spent'),
        ),
        migrations.AlterField(
            model_name='fundingsource',
            name='amount',
            field=budget.fields.AmountField(validators=[django.core.validators.MinValueValidator(Decimal('0.00'))], verbose_name='amount'),
        ),
        migrations.AlterField(
            model_name='ledgerentry',
            name='amount',
            field=budget.fields.AmountField(verbose_name='amount'),
        ),
        migrations.AlterField(
            model_name='programme',
            name='default_average_grant',
            field=budget.fields.AmountField(default=Decimal('3000.00'), help_text='The forecast uses this until the first grant is committed (Hilversum: €3,000).', validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='expected average grant'),
        ),
        migrations.AlterField(
            model_name='programme',
            name='default_product_spend_per_dwelling',
            field=budget.fields.AmountField(default=Decimal('330.00'), help_text='The forecast uses this until products have been paid for (Hilversum: €330).', validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='expected product spend per dwelling'),
        ),
        migrations.AlterField(
            model_name='reallocation',
            name='amount',
            field=budget.fields.AmountField(verbose_name='amount'),
        ),
        migrations.RunPython(install_sqlite_triggers, remove_sqlite_triggers, elidable=False),
    ]
