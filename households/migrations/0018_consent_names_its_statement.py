# Consent names its privacy statement in the register; the version string is no longer kept beside it.
# A version is letters, digits, dots, hyphens and underscores (it is part of its page's address; 0017 made the
# versions in use so).

import django.db.models.deletion
from django.db import migrations, models

import households.validators


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
        migrations.AlterField(
            model_name="privacystatement",
            name="version",
            field=models.CharField(max_length=20, validators=[households.validators.validate_statement_version],
                                   verbose_name="version"),
        ),
    ]
