"""A ledger entry may be booked by nobody: a release the system books for an act without a staff user (the
applicant withdrawing through their status link, a grant lapsing). SQLite rebuilds the table to change the column,
which drops the append-only triggers: they are installed again."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


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
        ('budget', '0010_standing_commitments_counted_on_the_line'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(remove_sqlite_triggers, install_sqlite_triggers, elidable=False),
        migrations.AlterField(
            model_name='ledgerentry',
            name='booked_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='booked by'),
        ),
        migrations.RunPython(install_sqlite_triggers, remove_sqlite_triggers, elidable=False),
    ]
