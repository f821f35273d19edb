# Consent names its privacy statement in the register; the version string is no longer kept beside it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("households", "0017_privacy_statements_for_the_versions_in_use"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="consent",
            name="statement_version",
        ),
        migrations.AlterField(
            model_name="consent",
            name="statement",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="consents",
                                    to="households.privacystatement", verbose_name="privacy statement"),
        ),
    ]
