"""An application names the privacy statement its applicant consented to in the register (issue 14), instead of
a version string. A version an application used that the register does not have yet gets a placeholder statement
(as households' migration 0017 makes them), applying from the earliest application with it, but at least a day before
the programme's current statement (which stays current). A version of then with a character that cannot be part of
its page's address ("2024/1") names the statement households' 0017 made for it (its placeholder title keeps the
version of then), or gets one as 0017 would: its other characters replaced by hyphens, with a suffix when taken."""

import datetime
import re

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Min

PLACEHOLDER_TITLE = "Privacyverklaring versie {version}"
PLACEHOLDER_TEXT = ("De tekst van deze versie van de privacyverklaring is niet in Warmhuis bewaard: hij werd "
                    "bijgehouden buiten het systeem, voordat het register van privacyverklaringen bestond. Vraag de "
                    "coördinator van het programma om de tekst van versie {version}.")


VERSION = re.compile(r"[A-Za-z0-9._-]+")
NOT_IN_VERSION = re.compile(r"[^A-Za-z0-9._-]+")
MAX_VERSION = 20


def version_for_address(version: str, taken: set[str]) -> str:
    """As households' 0017: the version, or its other characters replaced by hyphens, with a suffix when taken."""
    if VERSION.fullmatch(version):
        return version
    wanted = NOT_IN_VERSION.sub("-", version).strip("-") or "versie"
    candidate, number = wanted[:MAX_VERSION], 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = wanted[:MAX_VERSION - len(suffix)] + suffix
    return candidate


def statement_per_application(apps, schema_editor):
    Application = apps.get_model("subsidy", "Application")
    PrivacyStatement = apps.get_model("households", "PrivacyStatement")
    in_use = list(Application.objects.exclude(privacy_statement_version="")
                  .values_list("programme_id", "privacy_statement_version").annotate(first=Min("created_at"))
                  .order_by("programme_id", "privacy_statement_version"))
    taken = {}  # per programme: the versions in the register and those of then that can be in an address
    for programme_id, version, _first in in_use:
        taken.setdefault(programme_id, set(PrivacyStatement.objects.filter(programme_id=programme_id)
                                           .values_list("version", flat=True)))
        if VERSION.fullmatch(version):
            taken[programme_id].add(version)
    for programme_id, version, first in in_use:
        if VERSION.fullmatch(version):
            statement = PrivacyStatement.objects.filter(programme_id=programme_id, version=version).first()
        else:
            statement = PrivacyStatement.objects.filter(
                programme_id=programme_id, title=PLACEHOLDER_TITLE.format(version=version)).first()
        if statement is None:
            current = PrivacyStatement.objects.filter(programme_id=programme_id).order_by("-valid_from", "-pk").first()
            valid_from = first.date() if current is None else min(
                first.date(), current.valid_from - datetime.timedelta(days=1))
            in_address = version_for_address(version, taken[programme_id])
            taken[programme_id].add(in_address)
            statement = PrivacyStatement.objects.create(
                programme_id=programme_id, version=in_address, title=PLACEHOLDER_TITLE.format(version=version),
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
