# The version string is dropped once every application names its statement (0008; a migration of its own, so that
# PostgreSQL alters the table in another transaction than the one that updated its rows).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("subsidy", "0008_application_names_its_privacy_statement"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="application",
            name="privacy_statement_version",
        ),
    ]
