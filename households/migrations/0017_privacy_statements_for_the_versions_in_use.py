"""Consent refers to a version in the register of privacy statements (issue 14), not to a version string.

Why: the version strings (the programme's current version, each consent's) said which statement a resident
consented to, but not what it said. Every version in use gets a statement in the register: the reference
fixture's text where it has this programme's version (fixtures/reference/011_…, matched by the programme's slug;
made first, so that on a register that was empty it has the fixture's id and load_reference_data finds it loaded),
else a placeholder that says the text was not kept. The programme's current version applies from the fixture's date,
else from the earliest consent to it (else the programme's start); every other version from its earliest consent, but
at least a day before the current one, so that the current one stays current. Every consent is then pointed at its
statement; consent recorded without a version (the field could be left empty then) at a placeholder that says so
(version "onbekend", dated like the other versions), as 0018 makes the statement required. Runs before budget drops
the programme's version string (run_before).
A version is part of its page's address, so it has only letters, digits, dots, hyphens and underscores: a version
of then with another character ("2024/1") is given one that has not (`version_for_address`: "2024-1", or "2024-1-2"
when that is taken); the placeholder's title keeps the version of then.
The applications' versions are brought into the register by subsidy's migration 0008.
"""

import datetime
import json
import re
from pathlib import Path

from django.db import migrations
from django.db.models import Min

REFERENCE = Path(__file__).resolve().parents[2] / "fixtures" / "reference"
FIXTURE = REFERENCE / "011_privacy_statement_hilversum_2022.json"
PROGRAMME_FIXTURE = REFERENCE / "010_programme_hilversum_2022.json"
PLACEHOLDER_TITLE = "Privacyverklaring versie {version}"
PLACEHOLDER_TEXT = ("De tekst van deze versie van de privacyverklaring is niet in Warmhuis bewaard: hij werd "
                    "bijgehouden buiten het systeem, voordat het register van privacyverklaringen bestond. Vraag de "
                    "coördinator van het programma om de tekst van versie {version}.")
# Consent recorded without a version (the field could be left empty then).
UNRECORDED_VERSION = "onbekend"
UNRECORDED_TITLE = "Privacyverklaring (versie niet vastgelegd)"
UNRECORDED_TEXT = ("Bij deze toestemming is niet vastgelegd welke versie van de privacyverklaring de bewoner las: dat "
                   "werd bijgehouden buiten het systeem, voordat het register van privacyverklaringen bestond. Vraag "
                   "de coördinator van het programma welke tekst gold op de dag van de toestemming.")


VERSION = re.compile(r"[A-Za-z0-9._-]+")
NOT_IN_VERSION = re.compile(r"[^A-Za-z0-9._-]+")
MAX_VERSION = 20


def free_version(wanted: str, taken: set[str]) -> str:
    """`wanted`, or with a suffix ("-2", "-3", …) when it is taken; at most MAX_VERSION characters."""
    candidate, number = wanted[:MAX_VERSION], 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = wanted[:MAX_VERSION - len(suffix)] + suffix
    return candidate


def version_for_address(version: str, taken: set[str]) -> str:
    """The version as it is, when it can be part of its page's address; else its characters outside letters, digits,
    dots, hyphens and underscores replaced by hyphens, made unique among `taken`."""
    if VERSION.fullmatch(version):
        return version
    return free_version(NOT_IN_VERSION.sub("-", version).strip("-") or "versie", taken)


def known_texts() -> dict[tuple[str, str], dict]:
    """The reference fixture's statements by (programme slug, version): the fixture names its programme by the
    reference programme's number, which a database need not have given it."""
    if not FIXTURE.exists() or not PROGRAMME_FIXTURE.exists():
        return {}
    slugs = {item["pk"]: item["fields"]["slug"] for item in json.loads(PROGRAMME_FIXTURE.read_text(encoding="utf-8"))
             if item["model"] == "budget.programme"}
    return {(slugs[item["fields"]["programme"]], item["fields"]["version"]): item["fields"]
            for item in json.loads(FIXTURE.read_text(encoding="utf-8"))
            if item["model"] == "households.privacystatement" and item["fields"]["programme"] in slugs}


def statements_for_versions_in_use(apps, schema_editor):
    Programme = apps.get_model("budget", "Programme")
    Consent = apps.get_model("households", "Consent")
    PrivacyStatement = apps.get_model("households", "PrivacyStatement")
    known = known_texts()
    for programme in Programme.objects.order_by("pk"):
        first_use = dict(Consent.objects.filter(household__programme=programme).values_list("statement_version")
                         .annotate(first=Min("given_on")).values_list("statement_version", "first"))
        current = programme.privacy_statement_version
        current_from = (datetime.date.fromisoformat(known[programme.slug, current]["valid_from"])
                        if (programme.slug, current) in known else first_use.get(current) or programme.starts_on)
        versions = sorted({*first_use, current} - {""}, key=lambda version: ((programme.slug, version) not in known,
                                                                           version))
        # The versions that can be part of an address come first; one of then with another character gets a version
        # none of them has.
        taken = {*PrivacyStatement.objects.filter(programme=programme).values_list("version", flat=True),
                 *(version for version in versions if VERSION.fullmatch(version))}
        for version in versions:
            statement = PrivacyStatement.objects.filter(programme=programme, version=version).first()
            if statement is None:
                fields = known.get((programme.slug, version))
                valid_from = current_from if version == current else min(
                    first_use.get(version) or programme.starts_on, current_from - datetime.timedelta(days=1))
                in_address = version_for_address(version, taken)
                taken.add(in_address)
                statement = PrivacyStatement.objects.create(
                    programme=programme, version=in_address,
                    title=fields["title"] if fields else PLACEHOLDER_TITLE.format(version=version),
                    text=fields["text"] if fields else PLACEHOLDER_TEXT.format(version=version),
                    valid_from=valid_from)
            Consent.objects.filter(household__programme=programme, statement_version=version,
                                   statement=None).update(statement=statement)
        if "" in first_use:  # consent without a version: a statement that says it was not recorded
            statement = PrivacyStatement.objects.create(
                programme=programme, version=free_version(UNRECORDED_VERSION, taken), title=UNRECORDED_TITLE,
                text=UNRECORDED_TEXT, valid_from=min(first_use[""], current_from - datetime.timedelta(days=1)))
            Consent.objects.filter(household__programme=programme, statement_version="",
                                   statement=None).update(statement=statement)


class Migration(migrations.Migration):

    dependencies = [
        ("households", "0016_dwelling_house_number_removed_by_anonymisation"),
        ("budget", "0014_programme_retention"),
    ]
    run_before = [
        ("budget", "0015_privacy_statements_in_the_register"),
    ]

    operations = [
        migrations.RunPython(statements_for_versions_in_use, migrations.RunPython.noop, elidable=False),
    ]
