# The programme's current privacy statement is the register's (households.privacy.current_statement): the version
# string is dropped here, after the households' migration put every version in use in the register (it runs first).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("budget", "0014_programme_retention"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="programme",
            name="privacy_statement_version",
        ),
    ]
