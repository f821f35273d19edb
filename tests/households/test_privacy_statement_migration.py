"""The data migration that brought the privacy statement versions in use into the register (households 0017 and
subsidy 0008, issue 14), run on data as it was before: every consent and application ends up naming a statement, and
every version can be part of its page's address."""

import datetime
import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from households.models import Consent, PrivacyStatement
from households.validators import STATEMENT_VERSION
from subsidy.models import Application

BEFORE = [("households", "0016_dwelling_house_number_removed_by_anonymisation"), ("budget", "0014_programme_retention"),
          ("subsidy", "0007_packages_newest_first")]
PROGRAMME_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "010_programme_hilversum_2022.json"

pytestmark = pytest.mark.django_db(transaction=True)


def migrated(build) -> None:
    """Take the database back to before the register, let `build(apps)` write the data of then, migrate to now."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        build(MigrationExecutor(connection).loader.project_state(BEFORE).apps)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def programme_of_then(apps, *, pk: int, slug: str, version: str):
    (fields,) = [item["fields"] for item in json.loads(PROGRAMME_FIXTURE.read_text(encoding="utf-8"))
                 if item["model"] == "budget.programme"]
    return apps.get_model("budget", "Programme").objects.create(
        pk=pk, **{**fields, "slug": slug, "reference_prefix": slug[:3].upper()}, privacy_statement_version=version)


def consent_of_then(apps, programme, *, version: str, given_on: datetime.date, reference: str):
    household = apps.get_model("households", "Household").objects.create(
        programme=programme, reference=reference, contact_name="Bewoner", household_type="single",
        referral_source="other", status="active")
    return apps.get_model("households", "Consent").objects.create(
        household=household, statement_version=version, given_on=given_on, processing=True)


def application_of_then(apps, consent, *, version: str):
    household = consent.household
    return apps.get_model("subsidy", "Application").objects.create(
        programme=household.programme, household=household, reference=f"{household.reference}-A",
        applicant_name="Bewoner", measure="roof", route="contractor", household_type="single",
        net_monthly_income="1500.00", income_proof="payslip", privacy_statement_version=version)


def test_a_version_in_use_with_another_character_gets_a_version_that_can_be_in_an_address(client):
    def build(apps):
        programme = programme_of_then(apps, pk=1, slug="hilversum-2022", version="2024/1")
        consent_of_then(apps, programme, version="2024/1", given_on=datetime.date(2024, 2, 1), reference="HIL-1")
        consent_of_then(apps, programme, version="2024 1", given_on=datetime.date(2024, 3, 1), reference="HIL-2")
        consent_of_then(apps, programme, version="2024-1", given_on=datetime.date(2024, 1, 1), reference="HIL-3")
        application_of_then(apps, consent_of_then(apps, programme, version="2023/2", given_on=datetime.date(2023, 5, 1),
                                                  reference="HIL-4"), version="2024/1")
        application_of_then(apps, consent_of_then(apps, programme, version="2022-1", given_on=datetime.date(2023, 5, 1),
                                                  reference="HIL-5"), version="2023/9")

    migrated(build)

    statements = {statement.version: statement for statement in PrivacyStatement.objects.all()}
    assert all(STATEMENT_VERSION.fullmatch(version) for version in statements)
    consents = {consent.household.reference: consent.statement for consent in Consent.objects.select_related(
        "household", "statement")}
    assert consents["HIL-3"].version == "2024-1"  # a version already in the right form keeps it
    assert consents["HIL-1"].version not in ("2024/1", "2024-1")  # …and is not taken by another one
    assert consents["HIL-1"].title == "Privacyverklaring versie 2024/1"  # the title says the version of then
    assert len({consents["HIL-1"], consents["HIL-2"], consents["HIL-3"]}) == 3
    applications = {application.reference: application.privacy_statement
                    for application in Application.objects.select_related("privacy_statement")}
    assert applications["HIL-4-A"] == consents["HIL-1"]  # the same version of then, the same statement
    assert applications["HIL-5-A"].title == "Privacyverklaring versie 2023/9"
    for statement in statements.values():
        assert client.get(reverse("households:privacy_statement",
                                  args=["hilversum-2022", statement.version])).status_code == 200


def test_a_consent_of_then_without_a_version_names_a_statement_that_says_so():
    def build(apps):
        programme = programme_of_then(apps, pk=1, slug="hilversum-2022", version="2022-1")
        consent_of_then(apps, programme, version="", given_on=datetime.date(2022, 6, 1), reference="HIL-1")
        consent_of_then(apps, programme, version="2022-1", given_on=datetime.date(2022, 7, 1), reference="HIL-2")

    migrated(build)

    statement = Consent.objects.get(household__reference="HIL-1").statement
    assert statement.title == "Privacyverklaring (versie niet vastgelegd)"
    assert "niet vastgelegd welke versie" in statement.text
    assert statement.valid_from < datetime.date(2022, 1, 1)  # the current one, 2022-1, stays current
    assert STATEMENT_VERSION.fullmatch(statement.version)
    assert Consent.objects.get(household__reference="HIL-2").statement.version == "2022-1"


def test_the_reference_text_goes_to_the_programme_it_was_written_for_whatever_its_number():
    def build(apps):
        programme_of_then(apps, pk=1, slug="gooise-meren-2023", version="2022-1")
        programme_of_then(apps, pk=2, slug="hilversum-2022", version="2022-1")

    migrated(build)

    elsewhere = PrivacyStatement.objects.get(programme__slug="gooise-meren-2023", version="2022-1")
    hilversum = PrivacyStatement.objects.get(programme__slug="hilversum-2022", version="2022-1")
    assert "Autoriteit Persoonsgegevens" in hilversum.text
    assert hilversum.valid_from == datetime.date(2022, 1, 1)
    assert elsewhere.title == "Privacyverklaring versie 2022-1"
    assert "niet in Warmhuis bewaard" in elsewhere.text
