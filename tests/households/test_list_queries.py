"""The household list costs the same number of queries for 5 and for 50 households (no query per row)."""

import pytest
from django.urls import reverse

from tests.factories import HouseholdFactory

# Session, user, the user's groups (asked once, for the permission rules, scope and navigation), the count,
# the page's rows with dwelling and people joined, the handyman filter's choices. A handyman's page also
# asks the model permissions (register button: not theirs). Neither grows with the number of households.
COORDINATOR_LIST_QUERIES = 7
HANDYMAN_LIST_QUERIES = 8


@pytest.mark.parametrize("how_many", [5, 50])
def test_the_list_costs_the_same_number_of_queries_for_5_and_for_50(client, coordinator, handyman, programme,
                                                                    django_assert_num_queries, how_many):
    HouseholdFactory.create_batch(how_many, programme=programme, handyman=handyman, registered_by=coordinator,
                                  community_worker=coordinator)
    client.force_login(coordinator)

    with django_assert_num_queries(COORDINATOR_LIST_QUERIES):
        response = client.get(reverse("households:list"), {"sort": "handyman"})

    assert len(response.context["households"]) == min(how_many, 25)


@pytest.mark.parametrize("how_many", [5, 50])
def test_the_handymans_list_costs_the_same_too(client, handyman, programme, django_assert_num_queries, how_many):
    HouseholdFactory.create_batch(how_many, programme=programme, handyman=handyman, active=True)
    client.force_login(handyman)

    with django_assert_num_queries(HANDYMAN_LIST_QUERIES):
        response = client.get(reverse("households:list"), {"q": "tst-"})

    assert len(response.context["households"]) == min(how_many, 25)
