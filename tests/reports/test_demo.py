"""The demo's saved scenarios: three, made by the coordinator on the demo register, ready to be compared; loading
the demo again adds none."""

import pytest
from django.core.management import call_command

from reports.models import Scenario
from reports.scenarios import ScenarioResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, programme):
    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)


def test_the_demo_saves_three_scenarios_of_the_coordinator(demo):
    scenarios = {scenario.name: scenario for scenario in Scenario.objects.select_related("created_by")}

    assert set(scenarios) == {"Inkomensgrens 150%", "Label D of slechter", "Grote subsidie € 7.000"}
    assert {scenario.created_by.username for scenario in scenarios.values()} == {"coordinator"}
    at_150 = ScenarioResult.from_record(scenarios["Inkomensgrens 150%"].results).tier("small")
    label_d = ScenarioResult.from_record(scenarios["Label D of slechter"].results).tier("small")
    assert at_150.moved_in > 0 and at_150.moved_out == 0  # a higher limit lets households in, none out
    assert label_d.moved_out > 0 and label_d.moved_in == 0  # label C no longer qualifies


def test_loading_the_demo_again_saves_no_more_scenarios(demo):
    call_command("load_demo_data", verbosity=0)

    assert Scenario.objects.count() == 3
