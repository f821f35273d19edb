"""The coordinator finds the open households nobody works on yet, and assigns them knowing who they are and
how much each handyman has on his plate."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from households.models import Household
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    return sorted(household.reference for household in response.context["households"])


@pytest.fixture
def households(programme, handyman, handyman2):
    HouseholdFactory(programme=programme, reference="HIL-00001", handyman=handyman, active=True)
    HouseholdFactory(programme=programme, reference="HIL-00002", handyman=handyman, active=True)
    HouseholdFactory(programme=programme, reference="HIL-00003", handyman=handyman)  # registered: not active
    HouseholdFactory(programme=programme, reference="HIL-00004", handyman=handyman2, closed=True)
    HouseholdFactory(programme=programme, reference="HIL-00005")
    HouseholdFactory(programme=programme, reference="HIL-00006", active=True)
    HouseholdFactory(programme=programme, reference="HIL-00007", closed=True)  # closed: not open
    return {household.reference: household for household in Household.objects.all()}


def test_the_start_page_links_the_open_households_without_a_handyman_to_the_list_filtered_on_them(
        client, coordinator, households):
    client.force_login(coordinator)

    page = client.get(reverse("accounts:start")).content.decode()

    link = re.search(r'<a href="([^"]+)"><strong>2</strong> open zonder energieklusser</a>', page)
    assert link, "the count of open households without a handyman is a link"
    response = client.get(link[1].replace("&amp;", "&"))
    assert listed(response) == ["HIL-00005", "HIL-00006"]


def test_the_list_filters_on_not_assigned(client, coordinator, households):
    client.force_login(coordinator)

    response = client.get(reverse("households:list"), {"handyman": "none"})

    assert listed(response) == ["HIL-00005", "HIL-00006", "HIL-00007"]
    assert '<option value="none" selected>niet toegewezen</option>' in response.content.decode()


def test_the_list_filters_on_open(client, coordinator, households):
    client.force_login(coordinator)

    response = client.get(reverse("households:list"), {"status": "open"})

    assert listed(response) == ["HIL-00001", "HIL-00002", "HIL-00003", "HIL-00005", "HIL-00006"]


def test_the_assign_page_shows_who_where_and_each_handymans_active_households(
        client, coordinator, handyman, handyman2, households):
    household = households["HIL-00005"]
    household.dwelling.street, household.dwelling.house_number = "Neuweg", 203
    household.dwelling.postcode, household.dwelling.city = "1221 CE", "Hilversum"
    household.dwelling.save()
    client.force_login(coordinator)

    page = client.get(reverse("households:assign", args=[household.pk])).content.decode()

    assert escape(household.contact_name) in page  # names as the page writes them ("'s Gravensande" escaped)
    assert "Neuweg 203" in page and "1221 CE Hilversum" in page
    assert "Postcodegebied" in page and "1221 Hilversum" in page
    assert escape(f"{handyman.get_full_name()} (2 actieve huishoudens)") in page
    assert escape(f"{handyman2.get_full_name()} (0 actieve huishoudens)") in page


def test_the_assign_page_asks_no_query_per_handyman(client, coordinator, programme, households):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    url = reverse("households:assign", args=[households["HIL-00005"].pk])
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(5):
        klusser = UserFactory(username=f"klusser{number}", role="handyman")
        HouseholdFactory(programme=programme, handyman=klusser, active=True)

    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()

    assert len(after) == len(before)
    assert page.count("(1 actief huishouden)") == 5
