import pytest
from django.core.management import call_command

from accounts.audit import history_of
from eligibility.models import Assessment
from fieldwork.demo import HOUSEHOLDS as FIELD_WORK_HOUSEHOLDS
from households.demo import HOUSEHOLDS
from households.models import Household
from subsidy.demo import NEWCOMERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, programme):
    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)
    return programme


def test_demo_households_are_registered_in_every_stage_and_spread_over_the_workers(demo):
    # The register's own demo households and the field work's; the subsidy demo's applicants register theirs through
    # the public form.
    households = Household.objects.filter(programme=demo, registered_by__isnull=False)

    assert households.count() == len(HOUSEHOLDS) + len(FIELD_WORK_HOUSEHOLDS)
    assert {household.status for household in households} == {"registered", "active", "closed"}
    assert households.filter(handyman__username="handyman").count() > households.filter(
        handyman__username="handyman2").count() > 0
    assert households.filter(handyman=None).exists()
    assert households.filter(community_worker__username="community").exists()
    assert households.filter(reference="HIL-00001", dwelling__city="Hilversum").exists()


def test_demo_households_went_through_the_services_so_their_history_and_assessments_exist(demo):
    first = Household.objects.get(programme=demo, reference="HIL-00001")
    assert [event.action for event in history_of(first)][-1] == "registered"
    assert {"registered", "consent_recorded", "assigned", "eligibility_assessed"} <= {
        event.action for event in history_of(first)}
    assessed = Assessment.objects.filter(household__programme=demo, assessed_by__isnull=False)
    assert assessed.exists()
    assert not assessed.filter(household__net_monthly_income=None).exists()  # applicants may show the letter
    assert not Household.objects.filter(status="registered", consents__processing=True).exists()


def test_demo_households_load_once(demo):
    call_command("load_demo_data", verbosity=0)

    assert Household.objects.filter(programme=demo).count() == len(HOUSEHOLDS) + len(NEWCOMERS) + len(
        FIELD_WORK_HOUSEHOLDS)
