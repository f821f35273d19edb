"""Why: the view log is append-only (issue 14, "Who looked"). The model and its queryset refuse changes, but a raw
query, a shell session or a bug could still rewrite who looked. These triggers make the database refuse UPDATE and
DELETE on accounts_viewlog (PostgreSQL and SQLite); see accounts/viewlog_guard.py for how tests may still empty
the database.
"""

from django.db import migrations


def install(apps, schema_editor):
    from accounts.viewlog_guard import install_triggers

    install_triggers(schema_editor)


def remove(apps, schema_editor):
    from accounts.viewlog_guard import remove_triggers

    remove_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_view_log_and_account_security"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
