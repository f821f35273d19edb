"""Why: the ledger is append-only (DESIGN.md, "The budget ledger"). The model and the admin refuse
changes, but a raw query, a shell session or a bug in another app could still change history. These
triggers make the database refuse UPDATE and DELETE on budget_ledgerentry (PostgreSQL and SQLite);
see budget/ledger_guard.py for how tests may still empty the database.
"""

from django.db import migrations


def install(apps, schema_editor):
    from budget.ledger_guard import install_triggers

    install_triggers(schema_editor)


def remove(apps, schema_editor):
    from budget.ledger_guard import remove_triggers

    remove_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("budget", "0002_ledger_and_cached_line_totals"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
