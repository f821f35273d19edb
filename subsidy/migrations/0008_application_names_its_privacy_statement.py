"""An application names the privacy statement its applicant consented to in the register (issue 14), instead of
a version string. A version an application used that the register does not have yet gets a placeholder statement
(as households' migration 0017 makes them), applying from the earliest application with it, but at least a day before
the programme's current statement (which stays current)."""

import datetime

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Min

PLACEHOLDER_TITLE = "Privacyverklaring versie {version}"
PLACEHOLDER_TEXT = ("De tekst van deze versie van de privacyverklaring is niet in Warmhuis bewaard: hij werd "
                    "bijgehouden buiten het systeem, voordat het register van privacyverklaringen bestond. Vraag de "
                    "coördinator van het programma om de tekst van versie {version}.")


def statement_per_application(apps, schema_editor):
    Application = apps.get_model("subsidy", "Application")
    PrivacyStatement = apps.get_model("households", "PrivacyStatement")
    in_use = (Application.objects.exclude(privacy_statement_version="")
              .values_list("programme_id", "privacy_statement_version").annotate(first=Min("created_at")))
    for programme_id, version, first in in_use:
        statement = PrivacyStatement.objects.filter(programme_id=programme_id, version=version).first()
        if statement is None:
            current = PrivacyStatement.objects.filter(programme_id=programme_id).order_by("-valid_from", "-pk").first()
            valid_from = first.date() if current is None else min(
                first.date(), current.valid_from - datetime.timedelta(days=1))
            statement = PrivacyStatement.objects.create(
                programme_id=programme_id, version=version, title=PLACEHOLDER_TITLE.format(version=version),
                text=PLACEHOLDER_TEXT.format(version=version), valid_from=valid_from)
        Application.objects.filter(programme_id=programme_id, privacy_statement_version=version).update(
            privacy_statement=statement)


class Migration(migrations.Migration):

    dependencies = [
        ("households", "0017_privacy_statements_for_the_versions_in_use"),
        ("subsidy", "0007_packages_newest_first"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="privacy_statement",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="households.privacystatement",
                                    verbose_name="privacy statement"),
        ),
        migrations.RunPython(statement_per_application, migrations.RunPython.noop, elidable=False),
    ]
