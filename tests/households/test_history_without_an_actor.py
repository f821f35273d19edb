"""A household's history holds acts nobody on the staff did: the applicant through the public form, the system's
daily runs. Its page names them "systeem" instead of failing (the load run of issue 14 found the 500)."""

from django.urls import reverse

from accounts.audit import record_event
from tests.factories import HouseholdFactory


def test_the_household_page_shows_an_act_without_an_actor_as_the_systems(client, coordinator, programme):
    household = HouseholdFactory()
    record_event(household, actor=None, action="registered", note="Aangemeld via het aanvraagformulier")
    client.force_login(coordinator)

    response = client.get(reverse("households:detail", args=[household.pk]))

    assert response.status_code == 200
    assert "systeem" in response.content.decode()
    assert "Aangemeld via het aanvraagformulier" in response.content.decode()
