"""`manage.py anonymise_expired` (issue 14, item 4): safe to run daily; the dry run lists and changes nothing, the
real run anonymises what is due and says so, a second run does nothing; -v 2 shows who is kept, and until when."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import AuditEvent
from households.models import Household
from tests.factories import HouseholdFactory, application_in

LONG_AGO = timezone.now() - datetime.timedelta(days=800)


def run(*args, **options) -> str:
    out = StringIO()
    call_command("anonymise_expired", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def expired(programme):
    return HouseholdFactory(programme=programme, closed=True, closed_at=LONG_AGO, reference="HIL-00042",
                            contact_name="Fatima el Amrani")


@pytest.fixture
def held(people):
    application = application_in("paid", people)
    Household.objects.filter(pk=application.household_id).update(status="closed", closed_at=LONG_AGO)
    return application


def test_the_dry_run_lists_what_it_would_anonymise_and_changes_nothing(expired, held):
    events = AuditEvent.objects.count()

    output = run("--dry-run")

    assert f"would anonymise HIL-00042 (hilversum-2022): closed on {timezone.localtime(LONG_AGO).date()}" in output
    assert "reason retention" in output
    assert held.household.reference not in output
    assert "1 household(s) would be anonymised; 1 kept longer. Nothing was changed (dry run)." in output
    expired.refresh_from_db()
    assert (expired.contact_name, expired.anonymised_at) == ("Fatima el Amrani", None)
    assert AuditEvent.objects.count() == events


def test_the_run_anonymises_what_is_due_and_a_second_run_does_nothing(expired, held):
    output = run()

    assert "anonymised HIL-00042 (hilversum-2022)" in output
    assert "1 household(s) anonymised; 1 kept longer." in output
    expired.refresh_from_db()
    assert expired.anonymised_at is not None
    held.household.refresh_from_db()
    assert held.household.anonymised_at is None
    events = AuditEvent.objects.count()

    assert "0 household(s) anonymised" in run()
    assert AuditEvent.objects.count() == events


def test_verbose_lists_the_households_kept_and_until_when(expired, held):
    until = held.paid_on.replace(year=held.paid_on.year + 7)

    output = run("--dry-run", verbosity=2)

    assert f"kept {held.household.reference} (hilversum-2022)" in output
    assert f"kept until {until.isoformat()}" in output


def test_one_programme_only(expired):
    with pytest.raises(CommandError, match="no-such"):
        run("--programme", "no-such")
    assert "HIL-00042" in run("--dry-run", "--programme", "hilversum-2022")


def test_a_household_left_registered_is_listed_with_its_last_change(programme):
    household = HouseholdFactory(programme=programme, reference="HIL-00043")
    Household.objects.filter(pk=household.pk).update(updated_at=LONG_AGO)

    output = run("--dry-run")

    assert (f"would anonymise HIL-00043 (hilversum-2022): registered, last changed on "
            f"{timezone.localtime(LONG_AGO).date()}") in output
