"""Each role's start page shows its households: counts, the latest ones, and where to go next."""

import pytest
from django.urls import reverse

from tests.factories import HouseholdFactory


@pytest.fixture
def households(programme, users_by_role):
    HouseholdFactory(programme=programme, reference="HIL-00001", handyman=users_by_role["handyman"], active=True)
    HouseholdFactory(programme=programme, reference="HIL-00002", handyman=users_by_role["handyman"])
    HouseholdFactory(programme=programme, reference="HIL-00003", registered_by=users_by_role["community"],
                     closed=True)


def summary_of(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:start"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_handyman_sees_his_households_and_links_to_them(client, handyman, households):
    page = summary_of(client, handyman)

    assert "Uw huishoudens" in page
    assert "<strong>1</strong> aangemeld, wacht op toestemming" in page
    assert "<strong>1</strong> actief" in page
    assert "HIL-00001" in page and "HIL-00002" in page and "HIL-00003" not in page
    assert reverse("households:create") not in page


def test_the_community_worker_sees_hers_and_may_register(client, community_worker, households):
    page = summary_of(client, community_worker)

    assert "<strong>1</strong> afgesloten" in page
    assert reverse("households:create") in page
    assert "HIL-00001" not in page


def test_the_coordinator_sees_all_and_those_without_a_handyman(client, coordinator, households):
    page = summary_of(client, coordinator)

    assert "<strong>0</strong> open zonder energieklusser" in page
    assert "<strong>1</strong> actief" in page


@pytest.mark.parametrize("who", ["assessor", "finance"])
def test_assessors_and_finance_see_the_totals(client, users_by_role, households, who):
    page = summary_of(client, users_by_role[who])

    assert "household-summary" in page
    assert "HIL-00002" in page


def test_a_handyman_without_households_is_told_who_assigns_them(client, handyman2, households):
    assert "de coördinator wijst ze toe" in summary_of(client, handyman2)
